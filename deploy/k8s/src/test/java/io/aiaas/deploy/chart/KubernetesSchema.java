package io.aiaas.deploy.chart;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

/**
 * Checks a manifest against the Kubernetes API schema, using the models that the official Java client generates
 * from the API's OpenAPI document: their {@code validateJsonElement} rejects fields the schema does not define
 * (a misspelt key at any depth) and required fields that are missing, and {@code fromJson} then reads every value
 * into its typed field (a string where a number belongs fails there). Custom resources have no such model: for
 * them only apiVersion, kind and metadata are checked.
 */
final class KubernetesSchema {

    /** "apiVersion kind" to the client model generated from the Kubernetes OpenAPI schema. */
    static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1 Service", V1Service.class),
            Map.entry("v1 Secret", V1Secret.class),
            Map.entry("v1 ConfigMap", V1ConfigMap.class),
            Map.entry("v1 ServiceAccount", V1ServiceAccount.class),
            Map.entry("v1 PersistentVolumeClaim", V1PersistentVolumeClaim.class),
            Map.entry("apps/v1 Deployment", V1Deployment.class),
            Map.entry("autoscaling/v2 HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
            Map.entry("policy/v1 PodDisruptionBudget", V1PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1 NetworkPolicy", V1NetworkPolicy.class));

    /** Custom resources of the operators the chart can use; no schema of theirs is available offline. */
    static final Set<String> CUSTOM_RESOURCES = Set.of(
            "postgresql.cnpg.io/v1 Cluster",
            "k8s.keycloak.org/v2alpha1 Keycloak");

    private KubernetesSchema() {
    }

    /** Throws {@link SchemaViolation} naming the document and what is wrong with it. */
    static void validate(JsonObject document) {
        String type = type(document);
        Class<?> model = MODELS.get(type);
        try {
            if (model != null) {
                invoke(model, "validateJsonElement", JsonElement.class, document);
                invoke(model, "fromJson", String.class, document.toString());
            } else if (CUSTOM_RESOURCES.contains(type)) {
                validateCustomResource(document);
            } else {
                throw new IllegalArgumentException("no schema known for " + type
                        + ": map it in KubernetesSchema.MODELS (or CUSTOM_RESOURCES)");
            }
        } catch (RuntimeException | IOException e) {
            throw new SchemaViolation(type + " " + name(document) + ": " + e.getMessage(), e);
        }
    }

    private static void validateCustomResource(JsonObject document) throws IOException {
        JsonElement metadata = document.get("metadata");
        if (metadata == null || !metadata.isJsonObject()) {
            throw new IllegalArgumentException("metadata is missing");
        }
        V1ObjectMeta.validateJsonElement(metadata);
        if (!metadata.getAsJsonObject().has("name")) {
            throw new IllegalArgumentException("metadata.name is missing");
        }
        if (!document.has("spec") || !document.get("spec").isJsonObject()) {
            throw new IllegalArgumentException("spec is missing");
        }
    }

    static String type(JsonObject document) {
        return text(document, "apiVersion") + " " + text(document, "kind");
    }

    private static String name(JsonObject document) {
        JsonElement metadata = document.get("metadata");
        if (metadata != null && metadata.isJsonObject() && metadata.getAsJsonObject().has("name")) {
            return metadata.getAsJsonObject().get("name").getAsString();
        }
        return "(no name)";
    }

    private static String text(JsonObject document, String field) {
        JsonElement value = document.get(field);
        return value == null || !value.isJsonPrimitive() ? "(no " + field + ")" : value.getAsString();
    }

    private static void invoke(Class<?> model, String method, Class<?> parameter, Object argument) throws IOException {
        try {
            Method m = model.getMethod(method, parameter);
            m.invoke(null, argument);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(model + " has no " + method, e);
        }
    }

    /** A manifest that the Kubernetes API would refuse (or an object kind this check does not know). */
    static final class SchemaViolation extends RuntimeException {
        SchemaViolation(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
