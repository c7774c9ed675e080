package io.aiaas.deploy.chart;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema check itself: it must refuse what the API server refuses, or the chart tests prove nothing. */
class KubernetesSchemaTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: example/web:1
                      ports: [{containerPort: 8080}]
                      readinessProbe: {httpGet: {path: /q/health/ready, port: 8080}}
                      resources: {limits: {memory: 1Gi, nvidia.com/gpu: 1}}
            """;

    @Test
    void aWellFormedDeploymentPasses() {
        assertDoesNotThrow(() -> KubernetesSchema.validate(one(DEPLOYMENT)));
    }

    @Test
    void aMisspeltFieldDeepInThePodSpecIsRefused() {
        String broken = breaking("readinessProbe: {httpGet", "readinessProbe: {httpGett");
        var violation = assertThrows(KubernetesSchema.SchemaViolation.class, () -> KubernetesSchema.validate(one(broken)));
        assertTrue(violation.getMessage().contains("httpGett"), violation.getMessage());
    }

    @Test
    void aMisspeltTopLevelSpecFieldIsRefused() {
        String broken = breaking("  selector:", "  selectr:");
        var violation = assertThrows(KubernetesSchema.SchemaViolation.class, () -> KubernetesSchema.validate(one(broken)));
        assertTrue(violation.getMessage().contains("selectr"), violation.getMessage());
    }

    @Test
    void aContainerWithoutItsNameIsRefused() {
        String broken = breaking("- name: web\n          image:", "- image:");
        var violation = assertThrows(KubernetesSchema.SchemaViolation.class, () -> KubernetesSchema.validate(one(broken)));
        assertTrue(violation.getMessage().contains("name"), violation.getMessage());
    }

    @Test
    void aDeploymentWithoutSelectorIsRefused() {
        String broken = breaking("  selector: {matchLabels: {app: web}}\n", "");
        assertThrows(KubernetesSchema.SchemaViolation.class, () -> KubernetesSchema.validate(one(broken)));
    }

    @Test
    void aWrongValueTypeIsRefused() {
        String broken = breaking("ports: [{containerPort: 8080}]", "ports: [{containerPort: [8080]}]");
        assertThrows(KubernetesSchema.SchemaViolation.class, () -> KubernetesSchema.validate(one(broken)));
    }

    @Test
    void anUnknownKindIsRefusedRatherThanWavedThrough() {
        String ingress = """
                apiVersion: networking.k8s.io/v1beta1
                kind: Ingress
                metadata: {name: web}
                spec: {}
                """;
        var violation = assertThrows(KubernetesSchema.SchemaViolation.class, () -> KubernetesSchema.validate(one(ingress)));
        assertTrue(violation.getMessage().contains("no schema known"), violation.getMessage());
    }

    @Test
    void aCustomResourceNeedsMetadataNameAndSpec() {
        String cluster = """
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {labels: {a: b}}
                spec: {instances: 1}
                """;
        assertThrows(KubernetesSchema.SchemaViolation.class, () -> KubernetesSchema.validate(one(cluster)));
        assertDoesNotThrow(() -> KubernetesSchema.validate(one(cluster.replace("{labels: {a: b}}", "{name: pg}"))));
    }

    /** The good deployment with one change; the change must apply, or the test would check the good one. */
    private static String breaking(String from, String to) {
        assertTrue(DEPLOYMENT.contains(from), "the manifest has no " + from);
        return DEPLOYMENT.replace(from, to);
    }

    private static JsonObject one(String yaml) {
        return RenderedChart.parse(yaml).get(0);
    }
}
