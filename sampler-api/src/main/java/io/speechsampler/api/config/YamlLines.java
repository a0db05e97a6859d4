package io.speechsampler.api.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The line of every key and list element of a YAML config, by dotted path, read in one pass over
 * the tokens that also refuses what a config must not hold, each with its line: a syntax error
 * (with its column), a duplicate key (YAML parsers keep the last one silently), a second document
 * (read by nobody) and {@code .nan} or {@code .inf} (valid YAML, but no setting takes them).
 */
public final class YamlLines {

    /** YAML 1.1/1.2 spellings of NaN and the infinities as plain scalars. */
    static final Pattern NON_FINITE = Pattern.compile("[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    private YamlLines() {
    }

    /** One open map or list: its dotted path, the keys seen so far (maps) or the next index (lists). */
    private static final class Frame {
        final String path;
        final Map<String, Integer> keys;
        int nextIndex;

        Frame(String path, boolean map) {
            this.path = path;
            this.keys = map ? new HashMap<>() : null;
        }
    }

    /**
     * Key lines by dotted path ({@code sampler.weights}, {@code stages[0].name}).
     *
     * @throws ConfigException naming {@code fileName} and the line for a syntax error, a duplicate
     *                         key, a second document or a non-finite number
     */
    public static Map<String, Integer> index(String yaml, String fileName) {
        Map<String, Integer> lines = new HashMap<>();
        Deque<Frame> open = new ArrayDeque<>();
        String pendingField = null;
        int documents = 0;
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                if (t == JsonToken.FIELD_NAME) {
                    pendingField = p.currentName();
                    Frame map = open.peek();
                    Integer first = map.keys.putIfAbsent(pendingField, line);
                    String path = child(map.path, pendingField);
                    if (first != null) {
                        throw new ConfigException(fileName + " line " + line + ": duplicate key '" + path
                                + "' (first on line " + first + "); expected each key once");
                    }
                    lines.put(path, line);
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    open.pop();
                    continue;
                }
                if (open.isEmpty() && ++documents > 1) {
                    throw new ConfigException(fileName + " line " + line + ": a second YAML document; expected "
                            + "one config (remove the '---' and what follows, or merge the two)");
                }
                String here;
                if (pendingField != null) {
                    here = child(open.peek().path, pendingField);
                    pendingField = null;
                } else if (!open.isEmpty() && open.peek().keys == null) {
                    here = open.peek().path + "[" + open.peek().nextIndex++ + "]";
                    lines.putIfAbsent(here, line);
                } else {
                    here = "";
                }
                if (t == JsonToken.START_OBJECT) {
                    open.push(new Frame(here, true));
                } else if (t == JsonToken.START_ARRAY) {
                    open.push(new Frame(here, false));
                } else if (t == JsonToken.VALUE_NUMBER_FLOAT && NON_FINITE.matcher(p.getText()).matches()) {
                    throw new ConfigException(fileName + " line " + line + ": '" + (here.isEmpty() ? "(root)" : here)
                            + "' must be a finite number, got " + p.getText());
                }
            }
        } catch (JsonProcessingException e) {
            throw syntaxError(fileName, e);
        } catch (IOException e) {
            throw new ConfigException(fileName + ": cannot read config: " + e.getMessage(), e);
        }
        return lines;
    }

    /**
     * {@code run.yaml line 2 column 6: not valid YAML: expected ',' or '}', but got : (while
     * parsing a flow mapping that starts on line 1 column 10)}: SnakeYAML's problem and where, in
     * one line, without its excerpt of the file.
     */
    public static ConfigException syntaxError(String fileName, JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            StringBuilder sb = new StringBuilder(fileName).append(where(m.getProblemMark()))
                    .append(": not valid YAML: ").append(oneLine(m.getProblem()));
            if (m.getContext() != null) {
                sb.append(" (").append(oneLine(m.getContext()));
                if (m.getContextMark() != null) {
                    sb.append(" that starts on").append(where(m.getContextMark()));
                }
                sb.append(')');
            }
            return new ConfigException(sb.toString(), e);
        }
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
        String msg = e.getOriginalMessage() == null ? "unreadable" : oneLine(e.getOriginalMessage());
        return new ConfigException(fileName + where + ": not valid YAML: " + msg, e);
    }

    private static String where(Mark m) {
        return " line " + (m.getLine() + 1) + " column " + (m.getColumn() + 1);
    }

    private static String oneLine(String s) {
        return s.strip().lines().findFirst().orElse("").strip();
    }

    private static String child(String parent, String name) {
        return parent == null || parent.isEmpty() ? name : parent + "." + name;
    }
}
