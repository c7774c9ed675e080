package io.aiaas.platform.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aiaas.platform.common.HostileCorpusTest.Entry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hostile requests written from the OpenAPI document rather than by hand, so that an endpoint added later is swept
 * without anyone remembering to: for every operation, each property of its JSON body (nested objects and arrays of
 * objects included) gets values of the wrong type, one request each, and each query parameter gets values no
 * parser expects. A wrong type must be a 4xx whose message names the property (never silently coerced, never a
 * 5xx); a hostile query value must be answered below 500. Paths use the corpus' placeholders, so the requests reach
 * real tenants, keys, plans and models.
 */
final class OpenApiHostileEntries {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Query values no parameter takes as written: signs, overflow, fractions, NULs, surrogates, SQL, length. */
    private static final Map<String, String> QUERY_VALUES = new LinkedHashMap<>();

    static {
        QUERY_VALUES.put("negative", "-1");
        QUERY_VALUES.put("overflow", "99999999999999999999");
        QUERY_VALUES.put("fraction", "1.5");
        QUERY_VALUES.put("nul", "a%00b");
        QUERY_VALUES.put("surrogate", "%ED%A0%80");
        QUERY_VALUES.put("sql", "x%27%20or%20%271%27%3D%271");
        QUERY_VALUES.put("bad date", "2026-13-45T99:99:99Z");
        QUERY_VALUES.put("long", "{q*3000}");
    }

    private final JsonNode doc;
    private final List<Entry> entries = new ArrayList<>();

    private OpenApiHostileEntries(JsonNode doc) {
        this.doc = doc;
    }

    static List<Entry> of(JsonNode doc) {
        OpenApiHostileEntries out = new OpenApiHostileEntries(doc);
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            String auth = auth(path.getKey());
            if (auth == null) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                out.operation(method, path.getKey(), concrete(path.getKey()), auth, op.getValue());
            }
        }
        return out.entries;
    }

    private void operation(String method, String template, String path, String auth, JsonNode op) {
        for (JsonNode parameter : op.path("parameters")) {
            if ("query".equals(parameter.path("in").asText())) {
                String name = parameter.path("name").asText();
                QUERY_VALUES.forEach((label, value) -> entries.add(entry("openapi " + method + " " + template + " ?"
                        + name + " " + label, method, path + "?" + name + "=" + value, auth, null,
                        array("2xx", "4xx"), null)));
            }
        }
        JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
        if (!schema.isMissingNode()) {
            properties(method, template, path, auth, schema, "", List.of(), 0);
        }
    }

    /** One request per property and wrong value; objects and arrays of objects are entered up to three deep. */
    private void properties(String method, String template, String path, String auth, JsonNode schema, String prefix,
            List<JsonNode> parents, int depth) {
        JsonNode resolved = resolve(schema);
        for (Iterator<Map.Entry<String, JsonNode>> it = resolved.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String field = prefix + property.getKey();
            JsonNode type = resolve(property.getValue());
            for (Map.Entry<String, JsonNode> wrong : wrongValues(type).entrySet()) {
                entries.add(entry("openapi " + method + " " + template + " " + field + " " + wrong.getKey(), method,
                        path, auth, body(field, parents, wrong.getValue()), TextNode.valueOf("4xx"),
                        property.getKey()));
            }
            List<JsonNode> chain = new ArrayList<>(parents);
            if (depth < 3 && "object".equals(type.path("type").asText()) && type.has("properties")) {
                chain.add(type);
                properties(method, template, path, auth, type, field + ".", chain, depth + 1);
            } else if (depth < 3 && "array".equals(type.path("type").asText())
                    && resolve(type.path("items")).has("properties")) {
                chain.add(resolve(type.path("items")));
                properties(method, template, path, auth, type.path("items"), field + "[0].", chain, depth + 1);
            }
        }
    }

    /** Values of another JSON type than the schema's, none of which Jackson may coerce into it. */
    private Map<String, JsonNode> wrongValues(JsonNode schema) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        switch (schema.path("type").asText()) {
            case "string" -> {
                values.put("object", NODES.objectNode());
                values.put("array", NODES.arrayNode().add("x"));
            }
            case "integer" -> {
                values.put("text", TextNode.valueOf("ten"));
                values.put("fraction", NODES.numberNode(new java.math.BigDecimal("1.5")));
                values.put("overflow", NODES.numberNode(new java.math.BigInteger("99999999999999999999999")));
                values.put("object", NODES.objectNode());
            }
            case "number" -> {
                values.put("text", TextNode.valueOf("ten"));
                values.put("object", NODES.objectNode());
            }
            case "boolean" -> {
                values.put("text", TextNode.valueOf("maybe"));
                values.put("number", NODES.numberNode(2));
                values.put("object", NODES.objectNode());
            }
            case "array" -> {
                if (schema.path("items").has("type") || schema.path("items").has("$ref")) {
                    // an array of anything (a tensor's data) may take a scalar as its one element
                    values.put("text", TextNode.valueOf("x"));
                }
                values.put("object", NODES.objectNode());
            }
            case "object" -> {
                values.put("text", TextNode.valueOf("x"));
                values.put("array", NODES.arrayNode());
            }
            default -> {
                // no single type (oneOf, free-form): nothing is wrong for it
            }
        }
        return values;
    }

    /**
     * The body holding one value at a dotted path ({@code a.b[0].c}); the objects on the way carry their other required
     * properties, so that the wrong value, not a missing sibling, is what a server must refuse.
     */
    private JsonNode body(String field, List<JsonNode> parents, JsonNode value) {
        ObjectNode root = NODES.objectNode();
        ObjectNode node = root;
        String[] parts = field.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            String part = parts[i];
            if (part.endsWith("[0]")) {
                node = node.putArray(part.substring(0, part.length() - 3)).addObject();
            } else {
                node = node.putObject(part);
            }
        }
        node.set(parts[parts.length - 1], value);
        // the siblings after the path, so that a parser reading in order meets the wrong value first
        ObjectNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            String part = parts[i];
            parent = (ObjectNode) (part.endsWith("[0]") ? parent.get(part.substring(0, part.length() - 3)).get(0)
                    : parent.get(part));
            JsonNode schema = parents.get(i);
            for (JsonNode required : schema.path("required")) {
                if (!parent.has(required.asText())) {
                    parent.set(required.asText(), sample(schema.path("properties").path(required.asText()), 0));
                }
            }
        }
        return root;
    }

    /** A value of the schema's type: its first enumerated value, or the simplest of its type. */
    private JsonNode sample(JsonNode property, int depth) {
        JsonNode schema = resolve(property);
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.path("enum").get(0);
        }
        return switch (schema.path("type").asText()) {
            case "integer", "number" -> NODES.numberNode(1);
            case "boolean" -> NODES.booleanNode(true);
            case "array" -> depth < 3 && schema.has("items") ? NODES.arrayNode().add(sample(schema.get("items"),
                    depth + 1)) : NODES.arrayNode();
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                for (JsonNode required : schema.path("required")) {
                    if (depth < 3) {
                        object.set(required.asText(), sample(schema.path("properties").path(required.asText()),
                                depth + 1));
                    }
                }
                yield object;
            }
            default -> TextNode.valueOf("x");
        };
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            String name = current.get("$ref").asText().replace("#/components/schemas/", "");
            current = doc.path("components").path("schemas").path(name);
        }
        return current;
    }

    /** Who calls a path: the credential the corpus names, or null for paths this sweep leaves out. */
    private static String auth(String path) {
        if (path.startsWith("/admin/")) {
            return "admin";
        } else if (path.startsWith("/api/")) {
            return "tenantAdmin";
        } else if (path.startsWith("/v2/models")) {
            return "apiKey";
        } else if (path.startsWith("/internal/v1/workers") || path.startsWith("/internal/v1/artifacts")) {
            return "workerJwt";
        } else if (path.startsWith("/internal/v1/enrolments")) {
            return "none";
        }
        return null; // health probes, the public key set
    }

    /** The template's path parameters as the corpus' placeholders: real tenants, keys, members, plans, models. */
    private static String concrete(String template) {
        return template.replace("/tenants/{slug}", "/tenants/{slug}")
                .replace("/keys/{id}", "/keys/{keyId}")
                .replace("/members/{id}", "/members/{memberId}")
                .replace("/plans/{id}", "/plans/{planId}")
                .replace("/internal/v1/workers/{id}", "/internal/v1/workers/{corpusWorkerId}")
                .replace("{id}", "{uuid}").replace("{kid}", "{uuid}")
                .replace("{name}", "{model}").replace("{version}", "1").replace("{lineNo}", "1");
    }

    private static ArrayNode array(String... values) {
        ArrayNode array = NODES.arrayNode();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    private static Entry entry(String name, String method, String path, String auth, JsonNode json,
            JsonNode expectStatus, String expectDetail) {
        return new Entry(name, method, path, Map.of(), auth, null, json, null, false, expectStatus, null,
                expectDetail, null, List.of(), false);
    }
}
