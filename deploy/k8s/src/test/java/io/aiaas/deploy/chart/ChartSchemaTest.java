package io.aiaas.deploy.chart;

import com.google.gson.JsonObject;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every document the chart renders, for every values set, is one the Kubernetes API would accept. */
class ChartSchemaTest {

    static java.util.stream.Stream<String> renderings() {
        return Renderings.names();
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void everyRenderedDocumentMatchesTheKubernetesSchema(String name) {
        RenderedChart chart = Renderings.of(name);
        assertFalse(chart.documents().isEmpty(), "nothing rendered for " + name);
        for (JsonObject document : chart.documents()) {
            KubernetesSchema.validate(document);
        }
    }

    @Test
    void theDefaultsRenderTheWholePlatform() {
        Set<String> kinds = new TreeSet<>();
        Renderings.of(Renderings.DEFAULT).documents().forEach(d -> kinds.add(KubernetesSchema.type(d)));
        assertEquals(new TreeSet<>(List.of("v1 Service", "v1 ServiceAccount", "v1 PersistentVolumeClaim",
                "apps/v1 Deployment", "autoscaling/v2 HorizontalPodAutoscaler", "policy/v1 PodDisruptionBudget",
                "networking.k8s.io/v1 NetworkPolicy")), kinds);
        assertEquals(3, Renderings.of(Renderings.DEFAULT).ofKind("Deployment").size());
    }

    @Test
    void theOperatorRouteRendersItsCustomResourcesWhichAreCheckedForApiVersionKindAndMetadataOnly() {
        RenderedChart chart = Renderings.of(Renderings.OPERATORS);
        assertEquals("postgresql.cnpg.io/v1", chart.get("Cluster", "prod-aiaas-postgres").get("apiVersion").getAsString());
        assertEquals("k8s.keycloak.org/v2alpha1", chart.get("Keycloak", "prod-aiaas-keycloak").get("apiVersion").getAsString());
        assertTrue(KubernetesSchema.CUSTOM_RESOURCES.containsAll(List.of("postgresql.cnpg.io/v1 Cluster",
                "k8s.keycloak.org/v2alpha1 Keycloak")));
        assertTrue(Renderings.of(Renderings.DEFAULT).ofKind("Cluster").isEmpty(), "the operators are off by default");
        assertTrue(Renderings.of(Renderings.DEFAULT).ofKind("Keycloak").isEmpty(), "the operators are off by default");
    }

    @Test
    void helmLintFindsNothingInStrictMode() {
        LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();
        assertFalse(lint.isFailed(), lint.getMessages().toString());
    }

    @Test
    void aMissingDatabasePasswordStopsTheRenderingWithAClearMessage() {
        var failure = assertThrows(RuntimeException.class, () -> RenderedChart.render("no-password",
                Map.of("postgresql.existingSecret", "")));
        assertTrue(failure.getMessage().contains("postgresql.username is required"), failure.getMessage());
    }
}
