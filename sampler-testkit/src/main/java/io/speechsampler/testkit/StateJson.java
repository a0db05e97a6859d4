package io.speechsampler.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A state through JSON text and back, as a process boundary would carry it; failures are assertion errors. */
final class StateJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StateJson() {
    }

    static String write(JsonNode state) {
        try {
            return JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the state is not serialisable as JSON: " + e.getMessage(), e);
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the saved state does not parse back: " + e.getMessage(), e);
        }
    }
}
