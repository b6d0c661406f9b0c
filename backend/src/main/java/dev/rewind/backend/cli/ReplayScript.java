package dev.rewind.backend.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed replay script (docs/replay.md): its steps, its directory and its variables, with the
 * substitution of {@code ${name}} and {@code ${name.field}}. Not thread-safe.
 */
final class ReplayScript {
    /** The actions a step may name; each step names exactly one. */
    static final Set<String> ACTIONS = Set.of("launch", "break", "resume", "pause", "wait", "checkpoint", "restart",
            "drop", "read", "input", "kill", "writeBack", "expectOutput", "repeat", "call");
    private static final Set<String> MODIFIERS = Set.of("as", "expect", "expectError", "steps", "params", "note");
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)}");

    /** Thrown for a script that cannot run: bad JSON, an unknown action, an unknown variable. */
    static final class BadScript extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadScript(String message) {
            super(message);
        }
    }

    /** One step: its action, the action's argument, and the whole step object. */
    record Step(String action, JsonElement argument, JsonObject raw) {
        String as() {
            return raw.has("as") ? raw.get("as").getAsString() : null;
        }

        Integer expectError() {
            return raw.has("expectError") ? raw.get("expectError").getAsInt() : null;
        }
    }

    final String description;
    final Path directory;
    final List<Step> steps;
    final Map<String, JsonElement> values = new LinkedHashMap<>();

    private ReplayScript(String description, Path directory, List<Step> steps) {
        this.description = description;
        this.directory = directory;
        this.steps = steps;
    }

    static ReplayScript parse(String text, Path directory, Map<String, String> overrides) {
        JsonObject root;
        try {
            root = JsonParser.parseString(text).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new BadScript("not a JSON object: " + e.getMessage());
        }
        if (!root.has("steps") || !root.get("steps").isJsonArray()) {
            throw new BadScript("no \"steps\" array");
        }
        ReplayScript s = new ReplayScript(root.has("description") ? root.get("description").getAsString() : "",
                directory, steps(root.getAsJsonArray("steps")));
        if (root.has("vars")) {
            for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("vars").entrySet()) {
                s.values.put(e.getKey(), e.getValue());
            }
        }
        s.values.put("scriptDir", new JsonPrimitive(directory.toString()));
        overrides.forEach((k, v) -> s.values.put(k, new JsonPrimitive(v)));
        return s;
    }

    static List<Step> steps(JsonArray array) {
        List<Step> out = new ArrayList<>();
        for (JsonElement e : array) {
            if (!e.isJsonObject()) {
                throw new BadScript("a step is not an object: " + e);
            }
            JsonObject o = e.getAsJsonObject();
            List<String> actions = o.keySet().stream().filter(ACTIONS::contains).toList();
            List<String> unknown = o.keySet().stream().filter(k -> !ACTIONS.contains(k) && !MODIFIERS.contains(k)).toList();
            if (actions.size() != 1 || !unknown.isEmpty()) {
                throw new BadScript("a step names one action of " + ACTIONS + (unknown.isEmpty() ? "" : "; unknown "
                        + unknown) + ": " + o);
            }
            String action = actions.get(0);
            out.add(new Step(action, o.get(action), o));
            if (action.equals("repeat")) {
                if (!o.has("steps") || !o.get("steps").isJsonArray()) {
                    throw new BadScript("repeat needs \"steps\": " + o);
                }
                steps(o.getAsJsonArray("steps"));
            }
        }
        return out;
    }

    /** {@code e} with every {@code ${...}} replaced; a string that is one reference keeps the value's JSON type. */
    JsonElement substitute(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return e;
        }
        if (e.isJsonObject()) {
            JsonObject out = new JsonObject();
            e.getAsJsonObject().entrySet().forEach(x -> out.add(x.getKey(), substitute(x.getValue())));
            return out;
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            e.getAsJsonArray().forEach(x -> out.add(substitute(x)));
            return out;
        }
        if (!e.getAsJsonPrimitive().isString()) {
            return e;
        }
        String text = e.getAsString();
        Matcher whole = VAR.matcher(text);
        if (whole.matches()) {
            return lookup(whole.group(1));
        }
        Matcher m = VAR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            JsonElement v = lookup(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v.isJsonPrimitive() ? v.getAsString() : v.toString()));
        }
        m.appendTail(sb);
        return new JsonPrimitive(sb.toString());
    }

    private JsonElement lookup(String path) {
        String[] parts = path.split("\\.");
        JsonElement v = values.get(parts[0]);
        for (int i = 1; v != null && i < parts.length; i++) {
            v = v.isJsonObject() ? v.getAsJsonObject().get(parts[i]) : null;
        }
        if (v == null) {
            throw new BadScript("no value for ${" + path + "}; known: " + values.keySet());
        }
        return v;
    }
}
