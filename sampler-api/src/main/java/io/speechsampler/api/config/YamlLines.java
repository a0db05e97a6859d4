package io.speechsampler.api.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** The line of every key and list element of a YAML document, by dotted path. */
final class YamlLines {

    private YamlLines() {
    }

    static Map<String, Integer> index(String yaml) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        // Each frame: the path of a container, and for arrays the next element index.
        Deque<String> paths = new ArrayDeque<>();
        Deque<int[]> arrayIndex = new ArrayDeque<>();
        String pendingField = null;
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                if (t == JsonToken.FIELD_NAME) {
                    pendingField = p.currentName();
                    String path = child(paths.peek(), pendingField);
                    lines.put(path, line);
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    paths.pop();
                    arrayIndex.pop();
                    continue;
                }
                String here;
                if (pendingField != null) {
                    here = child(paths.peek(), pendingField);
                    pendingField = null;
                } else if (!arrayIndex.isEmpty() && arrayIndex.peek().length == 1) {
                    int i = arrayIndex.peek()[0]++;
                    here = paths.peek() + "[" + i + "]";
                    lines.putIfAbsent(here, line);
                } else {
                    here = "";
                }
                if (t == JsonToken.START_OBJECT) {
                    paths.push(here);
                    arrayIndex.push(new int[0]);
                } else if (t == JsonToken.START_ARRAY) {
                    paths.push(here);
                    arrayIndex.push(new int[1]);
                }
            }
        }
        return lines;
    }

    private static String child(String parent, String name) {
        return parent == null || parent.isEmpty() ? name : parent + "." + name;
    }
}
