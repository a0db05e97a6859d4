package io.speechsampler.api.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One component of a config: the provider name and its raw parameters (validated later against
 * the provider's specs). Equality ignores the origin.
 *
 * @param name   provider name
 * @param params every key of the component's map except {@code name}
 * @param path   dotted path in the config, e.g. {@code stages[0]}
 * @param origin where it was read, for messages
 */
public record ComponentConfig(String name, ObjectNode params, String path, ConfigOrigin origin) {

    public ComponentConfig {
        Objects.requireNonNull(name, "name");
        params = params == null ? JsonNodeFactory.instance.objectNode() : params.deepCopy();
        params.remove("name");
        Objects.requireNonNull(path, "path");
        origin = origin == null ? ConfigOrigin.NONE : origin;
    }

    public static ComponentConfig named(String name, String path) {
        return new ComponentConfig(name, null, path, ConfigOrigin.NONE);
    }

    /** The YAML/JSON form: {@code {name: ..., <params>}}. */
    public ObjectNode toNode() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.setAll(params.deepCopy());
        return o;
    }

    @Override
    public ObjectNode params() {
        return params.deepCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComponentConfig c && c.name.equals(name) && c.params.equals(params) && c.path.equals(path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, params, path);
    }
}
