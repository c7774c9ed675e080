package io.aiaas.deploy.chart;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The chart rendered once per values set the tests check (the defaults and the three files under ci/). */
final class Renderings {

    static final String DEFAULT = "default";
    static final String GPU_ONLY = "gpu-only";
    static final String CPU_ONLY = "cpu-only";
    static final String OPERATORS = "operators";

    private static final Map<String, RenderedChart> CACHE = new ConcurrentHashMap<>();

    private Renderings() {
    }

    static RenderedChart of(String name) {
        return CACHE.computeIfAbsent(name, n -> n.equals(DEFAULT)
                ? RenderedChart.render(n)
                : RenderedChart.render(n, n + "-values.yaml"));
    }

    static Stream<String> names() {
        return Stream.of(DEFAULT, GPU_ONLY, CPU_ONLY, OPERATORS);
    }

    static String podTemplateLabel(JsonObject deployment, String label) {
        JsonElement value = podLabels(deployment).get(label);
        return value == null ? null : value.getAsString();
    }

    static JsonObject podLabels(JsonObject deployment) {
        return deployment.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("metadata")
                .getAsJsonObject("labels");
    }

    static JsonObject podSpec(JsonObject deployment) {
        return deployment.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec");
    }

    static List<JsonObject> containers(JsonObject deployment) {
        List<JsonObject> containers = new ArrayList<>();
        JsonObject spec = podSpec(deployment);
        for (String field : List.of("initContainers", "containers")) {
            if (spec.has(field)) {
                spec.getAsJsonArray(field).forEach(c -> containers.add(c.getAsJsonObject()));
            }
        }
        return containers;
    }

    /** The value of an env var given as a plain value, or null. */
    static String env(JsonObject container, String name) {
        JsonObject var = envVar(container, name);
        return var == null || !var.has("value") ? null : var.get("value").getAsString();
    }

    static JsonObject envVar(JsonObject container, String name) {
        JsonArray env = container.getAsJsonArray("env");
        if (env == null) {
            return null;
        }
        for (JsonElement e : env) {
            if (name.equals(e.getAsJsonObject().get("name").getAsString())) {
                return e.getAsJsonObject();
            }
        }
        return null;
    }

    /**
     * Whether a Kubernetes label selector (matchLabels and matchExpressions, as in Deployments, PDBs and
     * NetworkPolicies) selects an object with these labels; an empty selector selects everything.
     */
    static boolean selects(JsonObject selector, JsonObject labels) {
        if (selector.has("matchLabels")) {
            for (var entry : selector.getAsJsonObject("matchLabels").entrySet()) {
                JsonElement actual = labels.get(entry.getKey());
                if (actual == null || !actual.getAsString().equals(entry.getValue().getAsString())) {
                    return false;
                }
            }
        }
        if (selector.has("matchExpressions")) {
            for (JsonElement e : selector.getAsJsonArray("matchExpressions")) {
                JsonObject expression = e.getAsJsonObject();
                String key = expression.get("key").getAsString();
                List<String> values = new ArrayList<>();
                if (expression.has("values")) {
                    expression.getAsJsonArray("values").forEach(v -> values.add(v.getAsString()));
                }
                boolean has = labels.has(key);
                boolean ok = switch (expression.get("operator").getAsString()) {
                    case "In" -> has && values.contains(labels.get(key).getAsString());
                    case "NotIn" -> !has || !values.contains(labels.get(key).getAsString());
                    case "Exists" -> has;
                    case "DoesNotExist" -> !has;
                    default -> throw new IllegalArgumentException("operator " + expression.get("operator"));
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
