package io.speechsampler.api.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One component of a config: the provider name and its raw parameters (validated later against
 * the provider's specs). Equality ignores the origin.
 *
 * <p>A role may instead refer to a component the config names once under {@code components}
 * ({@code sampler: {ref: dc}}): then {@link #ref()} is that key, and {@link #name()} and
 * {@link #params()} are the referenced component's, so that code reading a role's provider name
 * sees through the reference. The pipeline builds a referenced component once, however many roles
 * refer to it.
 *
 * @param name   provider name
 * @param params every key of the component's map except {@code name}
 * @param path   dotted path in the config, e.g. {@code stages[0]}
 * @param origin where it was read, for messages
 * @param ref    the key under {@code components} this role refers to, or null for a component of its own
 */
public record ComponentConfig(String name, ObjectNode params, String path, ConfigOrigin origin, String ref) {

    public ComponentConfig {
        Objects.requireNonNull(name, "name");
        params = params == null ? JsonNodeFactory.instance.objectNode() : params.deepCopy();
        params.remove("name");
        Objects.requireNonNull(path, "path");
        origin = origin == null ? ConfigOrigin.NONE : origin;
    }

    /** A component of its own (no reference). */
    public ComponentConfig(String name, ObjectNode params, String path, ConfigOrigin origin) {
        this(name, params, path, origin, null);
    }

    public static ComponentConfig named(String name, String path) {
        return new ComponentConfig(name, null, path, ConfigOrigin.NONE);
    }

    /** A role at {@code path} referring to {@code target}, a {@code components} entry. */
    public static ComponentConfig referring(String path, ComponentConfig target, String key, ConfigOrigin origin) {
        return new ComponentConfig(target.name(), target.params, path, origin, key);
    }

    /** True when this role refers to a {@code components} entry. */
    public boolean isRef() {
        return ref != null;
    }

    /** The YAML/JSON form: {@code {name: ..., <params>}}, or {@code {ref: key}} for a reference. */
    public ObjectNode toNode() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (ref != null) {
            o.put("ref", ref);
            return o;
        }
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
        return o instanceof ComponentConfig c && c.name.equals(name) && c.params.equals(params) && c.path.equals(path)
                && Objects.equals(c.ref, ref);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, params, path, ref);
    }
}
