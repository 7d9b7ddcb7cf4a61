package io.artdag.l1.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The run an output came from, as artdag's {@code run_cache} records it: {@code run_id}, {@code
 * recipe}, {@code inputs} and {@code actor_id}, taken from an output event or a node's metadata and
 * carried as compact JSON ({@code FileRef.run}) until the output's CID is pinned.
 */
final class RunFields {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunFields() {}

    /**
     * The run of {@code node} as JSON text, or null when it names no {@code run_id}.
     *
     * @throws IllegalArgumentException with the reason when a field has the wrong type
     */
    static String of(JsonNode node) {
        JsonNode runId = node.get("run_id");
        if (runId == null || runId.isNull()) {
            return null;
        }
        ObjectNode run = JSON.createObjectNode();
        run.put("run_id", text(node, "run_id"));
        String recipe = text(node, "recipe");
        if (recipe != null) {
            run.put("recipe", recipe);
        }
        JsonNode inputs = node.get("inputs");
        if (inputs != null && !inputs.isNull()) {
            if (!inputs.isArray() && !inputs.isObject()) {
                throw new IllegalArgumentException("inputs must be a JSON array or object");
            }
            run.set("inputs", inputs);
        }
        String actor = text(node, "actor_id");
        if (actor != null) {
            run.put("actor_id", actor);
        }
        return run.toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.textValue();
    }
}
