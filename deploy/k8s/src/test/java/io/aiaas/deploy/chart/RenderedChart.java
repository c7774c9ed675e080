package io.aiaas.deploy.chart;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The chart rendered by the real Helm engine (helm-java's native helm, as {@code helm template}) for one set of
 * values files, parsed into one JSON object per Kubernetes document. The YAML goes to target/rendered/ only.
 */
record RenderedChart(String name, String yaml, List<JsonObject> documents, Map<String, Object> values) {

    static final Path CHART = Path.of("chart", "aiaas");
    static final String RELEASE = "prod";
    static final String NAMESPACE = "aiaas";
    private static final Path OUTPUT = Path.of("target", "rendered");

    /** Renders with the chart's values.yaml plus {@code ci/<file>} for each given file, in order. */
    static RenderedChart render(String name, String... ciValuesFiles) {
        return render(name, Map.of(), ciValuesFiles);
    }

    /** As {@link #render(String, String...)}, with {@code --set key=value} for each entry of {@code sets}. */
    static RenderedChart render(String name, Map<String, Object> sets, String... ciValuesFiles) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (String file : ciValuesFiles) {
            template = template.withValuesFile(CHART.resolve("ci").resolve(file));
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        String yaml = template.call();
        try {
            Files.createDirectories(OUTPUT);
            Files.writeString(OUTPUT.resolve(name + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RenderedChart(name, yaml, parse(yaml), mergedValues(ciValuesFiles));
    }

    /** Every non-empty YAML document of a multi-document stream, as JSON (what the API server would receive). */
    static List<JsonObject> parse(String yaml) {
        Gson gson = new Gson();
        List<JsonObject> documents = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(yaml)) {
            if (document != null) {
                documents.add(gson.toJsonTree(document).getAsJsonObject());
            }
        }
        return documents;
    }

    /** values.yaml with the ci files laid over it (maps merged key by key, like Helm; lists replaced). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> mergedValues(String... ciValuesFiles) {
        Map<String, Object> merged = load(CHART.resolve("values.yaml"));
        for (String file : ciValuesFiles) {
            merge(merged, load(CHART.resolve("ci").resolve(file)));
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map && into.get(key) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) map);
            } else {
                into.put(key, value);
            }
        });
    }

    private static Map<String, Object> load(Path file) {
        try {
            return new Yaml(new LoaderOptions()).load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JsonObject> ofKind(String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind").getAsString())).toList();
    }

    Optional<JsonObject> find(String kind, String metadataName) {
        return ofKind(kind).stream().filter(named(metadataName)).findFirst();
    }

    JsonObject get(String kind, String metadataName) {
        return find(kind, metadataName).orElseThrow(() -> new AssertionError(
                "no " + kind + " named " + metadataName + " in the " + name + " rendering; have "
                        + documents.stream().map(RenderedChart::describe).toList()));
    }

    /** A value of the merged values by dotted path ("postgresql.existingSecret"), or null. */
    Object value(String dottedPath) {
        Object current = values;
        for (String part : dottedPath.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    static Predicate<JsonObject> named(String metadataName) {
        return d -> metadataName.equals(d.getAsJsonObject("metadata").get("name").getAsString());
    }

    static String describe(JsonObject document) {
        JsonElement name = document.getAsJsonObject("metadata").get("name");
        return document.get("kind").getAsString() + "/" + (name == null ? "?" : name.getAsString());
    }
}
