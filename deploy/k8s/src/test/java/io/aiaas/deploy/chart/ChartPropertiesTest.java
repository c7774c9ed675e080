package io.aiaas.deploy.chart;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.aiaas.deploy.chart.Renderings.containers;
import static io.aiaas.deploy.chart.Renderings.env;
import static io.aiaas.deploy.chart.Renderings.envVar;
import static io.aiaas.deploy.chart.Renderings.podLabels;
import static io.aiaas.deploy.chart.Renderings.podSpec;
import static io.aiaas.deploy.chart.Renderings.selects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The properties of the rendered chart that an operator relies on, for every values set. */
class ChartPropertiesTest {

    private static final String PLATFORM_API = "prod-aiaas-platform-api";
    private static final String GPU_WORKERS = "prod-aiaas-worker-gpu";
    private static final String CPU_WORKERS = "prod-aiaas-worker-cpu";

    static Stream<String> renderings() {
        return Renderings.names();
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void everyContainerHasResourcesProbesAndRunsAsNonRootOnAReadOnlyRoot(String name) {
        for (JsonObject deployment : Renderings.of(name).ofKind("Deployment")) {
            JsonObject pod = podSpec(deployment);
            assertTrue(pod.getAsJsonObject("securityContext").get("runAsNonRoot").getAsBoolean(), name);
            assertFalse(pod.get("automountServiceAccountToken").getAsBoolean(), "no API token in the pods");
            for (JsonObject container : containers(deployment)) {
                String where = name + " " + RenderedChart.describe(deployment) + "/" + container.get("name").getAsString();
                JsonObject resources = container.getAsJsonObject("resources");
                assertNotNull(resources.getAsJsonObject("requests").get("cpu"), where + ": cpu request");
                assertNotNull(resources.getAsJsonObject("requests").get("memory"), where + ": memory request");
                assertNotNull(resources.getAsJsonObject("limits").get("memory"), where + ": memory limit");
                assertEquals("/q/health/ready", probePath(container, "readinessProbe"), where);
                assertEquals("/q/health/live", probePath(container, "livenessProbe"), where);
                assertEquals("/q/health/started", probePath(container, "startupProbe"), where);
                JsonObject security = container.getAsJsonObject("securityContext");
                assertTrue(security.get("runAsNonRoot").getAsBoolean(), where);
                assertTrue(security.get("readOnlyRootFilesystem").getAsBoolean(), where);
                assertFalse(security.get("allowPrivilegeEscalation").getAsBoolean(), where);
                assertEquals("true", env(container, "QUARKUS_LOG_CONSOLE_JSON_ENABLED"), where + ": JSON logs");
                assertTrue(mountPaths(container).contains("/tmp"), where + ": a writable /tmp");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void podsCarryPrometheusScrapeAnnotationsForTheirOwnPort(String name) {
        for (JsonObject deployment : Renderings.of(name).ofKind("Deployment")) {
            JsonObject annotations = deployment.getAsJsonObject("spec").getAsJsonObject("template")
                    .getAsJsonObject("metadata").getAsJsonObject("annotations");
            int port = containers(deployment).get(0).getAsJsonArray("ports").get(0).getAsJsonObject()
                    .get("containerPort").getAsInt();
            assertEquals("true", annotations.get("prometheus.io/scrape").getAsString());
            assertEquals(String.valueOf(port), annotations.get("prometheus.io/port").getAsString());
            assertEquals("/q/metrics", annotations.get("prometheus.io/path").getAsString());
        }
    }

    @Test
    void theGpuWorkersRequestAGpuOnGpuNodesAndMayNotFallBackToCpu() {
        for (String name : List.of(Renderings.DEFAULT, Renderings.GPU_ONLY)) {
            JsonObject gpu = Renderings.of(name).get("Deployment", GPU_WORKERS);
            JsonObject worker = containers(gpu).get(0);
            JsonObject resources = worker.getAsJsonObject("resources");
            assertEquals("1", resources.getAsJsonObject("limits").get("nvidia.com/gpu").getAsString(), name);
            assertEquals("1", resources.getAsJsonObject("requests").get("nvidia.com/gpu").getAsString(), name);
            assertEquals("true", podSpec(gpu).getAsJsonObject("nodeSelector").get("nvidia.com/gpu.present").getAsString());
            JsonObject toleration = podSpec(gpu).getAsJsonArray("tolerations").get(0).getAsJsonObject();
            assertEquals("nvidia.com/gpu", toleration.get("key").getAsString());
            assertEquals("NoSchedule", toleration.get("effect").getAsString());
            assertEquals("cuda", env(worker, "AIAAS_WORKER_DEVICE"));
            assertEquals("false", env(worker, "AIAAS_WORKER_CUDA_ALLOW_CPU_FALLBACK"));
            assertEquals("0", env(worker, "AIAAS_WORKER_CUDA_DEVICE_ID"));
            assertEquals("cuda", Renderings.podTemplateLabel(gpu, "aiaas.io/device"));
        }
        JsonObject tuned = containers(Renderings.of(Renderings.GPU_ONLY).get("Deployment", GPU_WORKERS)).get(0);
        assertEquals("21474836480", env(tuned, "AIAAS_WORKER_CUDA_MEMORY_LIMIT_BYTES"));
        assertEquals("kSameAsRequested", env(tuned, "AIAAS_WORKER_CUDA_ARENA_EXTEND_STRATEGY"));
        JsonObject untuned = containers(Renderings.of(Renderings.DEFAULT).get("Deployment", GPU_WORKERS)).get(0);
        assertNull(envVar(untuned, "AIAAS_WORKER_CUDA_MEMORY_LIMIT_BYTES"), "unset: ONNX Runtime's default");
    }

    @Test
    void theCpuWorkersAskForNoGpu() {
        JsonObject cpu = Renderings.of(Renderings.DEFAULT).get("Deployment", CPU_WORKERS);
        JsonObject worker = containers(cpu).get(0);
        assertEquals("cpu", env(worker, "AIAAS_WORKER_DEVICE"));
        assertFalse(worker.getAsJsonObject("resources").toString().contains("nvidia.com/gpu"));
        assertFalse(podSpec(cpu).has("tolerations"));
    }

    @Test
    void eachWorkerDeploymentHasItsOwnSwitch() {
        RenderedChart gpuOnly = Renderings.of(Renderings.GPU_ONLY);
        assertTrue(gpuOnly.find("Deployment", CPU_WORKERS).isEmpty());
        assertTrue(gpuOnly.find("PodDisruptionBudget", CPU_WORKERS).isEmpty());
        assertEquals(4, gpuOnly.get("Deployment", GPU_WORKERS).getAsJsonObject("spec").get("replicas").getAsInt());

        RenderedChart cpuOnly = Renderings.of(Renderings.CPU_ONLY);
        assertTrue(cpuOnly.find("Deployment", GPU_WORKERS).isEmpty());
        assertTrue(cpuOnly.find("PodDisruptionBudget", GPU_WORKERS).isEmpty());
        assertFalse(cpuOnly.yaml().contains("nvidia.com/gpu"), "no GPU anywhere without GPU workers");
        assertEquals(3, cpuOnly.get("Deployment", CPU_WORKERS).getAsJsonObject("spec").get("replicas").getAsInt());
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void workersDrainWithinTheirGracePeriodWithoutAPreStopHook(String name) {
        for (JsonObject deployment : workers(Renderings.of(name))) {
            JsonObject worker = containers(deployment).get(0);
            Duration drain = Duration.parse("PT" + env(worker, "AIAAS_WORKER_DRAIN_TIMEOUT").toUpperCase());
            long grace = podSpec(deployment).get("terminationGracePeriodSeconds").getAsLong();
            assertTrue(grace > drain.toSeconds(), name + ": grace " + grace + " s, drain " + drain);
            assertFalse(worker.has("lifecycle"), "the worker drains itself on SIGTERM: no preStop hook");
        }
        if (name.equals(Renderings.GPU_ONLY)) {
            JsonObject worker = containers(Renderings.of(name).get("Deployment", GPU_WORKERS)).get(0);
            assertEquals("60s", env(worker, "AIAAS_WORKER_DRAIN_TIMEOUT"));
        }
    }

    @Test
    void workerMemoryBudgetsComeFromValuesAsWholeNumbers() {
        JsonObject gpu = containers(Renderings.of(Renderings.GPU_ONLY).get("Deployment", GPU_WORKERS)).get(0);
        assertEquals("17179869184", env(gpu, "AIAAS_WORKER_MEMORY_HOST_BUDGET_BYTES"));
        assertEquals("23622320128", env(gpu, "AIAAS_WORKER_MEMORY_DEVICE_BUDGET_BYTES"));
        JsonObject cpu = containers(Renderings.of(Renderings.DEFAULT).get("Deployment", CPU_WORKERS)).get(0);
        assertEquals("4294967296", env(cpu, "AIAAS_WORKER_MEMORY_HOST_BUDGET_BYTES"));
        assertEquals("0", env(cpu, "AIAAS_WORKER_MEMORY_DEVICE_BUDGET_BYTES"));
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void workersRegisterUnderTheirPodIpWithThePlatformApiService(String name) {
        RenderedChart chart = Renderings.of(name);
        JsonObject service = chart.get("Service", PLATFORM_API);
        int port = service.getAsJsonObject("spec").getAsJsonArray("ports").get(0).getAsJsonObject().get("port").getAsInt();
        assertTrue(selects(service.getAsJsonObject("spec").getAsJsonObject("selector").deepCopy().isJsonObject()
                ? wrap(service.getAsJsonObject("spec").getAsJsonObject("selector"))
                : null, podLabels(chart.get("Deployment", PLATFORM_API))), "the Service selects platform-api pods");
        for (JsonObject deployment : workers(chart)) {
            JsonObject worker = containers(deployment).get(0);
            assertEquals("http://" + PLATFORM_API + "." + RenderedChart.NAMESPACE + ".svc:" + port,
                    env(worker, "AIAAS_WORKER_CONTROL_PLANE_URL"));
            assertEquals("http://$(POD_IP):8090", env(worker, "AIAAS_WORKER_ADVERTISED_URL"));
            assertEquals("status.podIP", envVar(worker, "POD_IP").getAsJsonObject("valueFrom")
                    .getAsJsonObject("fieldRef").get("fieldPath").getAsString());
            JsonObject token = envVar(worker, "AIAAS_WORKER_ENROLMENT_TOKEN").getAsJsonObject("valueFrom")
                    .getAsJsonObject("secretKeyRef");
            assertEquals("enrolment-token", token.get("key").getAsString());
            assertTrue(mountPaths(worker).contains(env(worker, "AIAAS_WORKER_IDENTITY_DIR")));
        }
    }

    @Test
    void workersEnrolWithTheTokenPlatformApiKnowsAsItsBootstrapTokenUnlessSwitchedOff() {
        RenderedChart chart = Renderings.of(Renderings.DEFAULT);
        JsonObject api = containers(chart.get("Deployment", PLATFORM_API)).get(0);
        JsonObject worker = containers(chart.get("Deployment", GPU_WORKERS)).get(0);
        assertEquals(secretRef(worker, "AIAAS_WORKER_ENROLMENT_TOKEN"), secretRef(api, "AIAAS_WORKERS_ENROLMENT_BOOTSTRAP_TOKEN"));
        assertEquals("aiaas-enrolment-token", secretRef(api, "AIAAS_WORKERS_ENROLMENT_BOOTSTRAP_TOKEN").get("name").getAsString());

        JsonObject minted = containers(Renderings.of(Renderings.GPU_ONLY).get("Deployment", PLATFORM_API)).get(0);
        assertNull(envVar(minted, "AIAAS_WORKERS_ENROLMENT_BOOTSTRAP_TOKEN"), "bootstrap: false keeps the token from platform-api");
    }

    @Test
    void aTooShortEnrolmentTokenStopsTheRendering() {
        var failure = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> RenderedChart.render(
                "short-token", Map.of("internalAuth.enrolmentToken.value", "too-short"), "cpu-only-values.yaml"));
        assertTrue(failure.getMessage().contains("at least 32 characters"), failure.getMessage());
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void platformApiReadsItsSigningKeyFromTheMountedSecret(String name) {
        RenderedChart chart = Renderings.of(name);
        JsonObject deployment = chart.get("Deployment", PLATFORM_API);
        JsonObject api = containers(deployment).get(0);
        String keyFile = env(api, "AIAAS_INTERNAL_AUTH_SIGNING_KEY_FILE");
        JsonObject mount = mount(api, "signing-key");
        assertEquals(mount.get("mountPath").getAsString() + "/signing-key.pem", keyFile);
        assertTrue(mount.get("readOnly").getAsBoolean());
        JsonObject secretVolume = volume(deployment, "signing-key").getAsJsonObject("secret");
        assertEquals("signing-key.pem", secretVolume.getAsJsonArray("items").get(0).getAsJsonObject().get("key").getAsString());
        assertNull(envVar(api, "AIAAS_INTERNAL_AUTH_SECRET"), "the shared HS256 secret is gone");
        assertEquals(chart.value("platformApi.artifacts.mountPath"), env(api, "AIAAS_STORAGE_DIR"));
        assertTrue(mountPaths(api).contains(env(api, "AIAAS_STORAGE_DIR")));
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void everyReferencedSecretAndClaimIsRenderedOrDeclaredExistingInTheValues(String name) {
        RenderedChart chart = Renderings.of(name);
        Set<String> rendered = new HashSet<>();
        chart.ofKind("Secret").forEach(s -> rendered.add(s.getAsJsonObject("metadata").get("name").getAsString()));
        Set<String> declared = new HashSet<>();
        collectExistingSecrets(chart.values(), declared);
        // CloudNativePG creates "<cluster>-app" for the database owner of each Cluster
        chart.ofKind("Cluster").forEach(c -> declared.add(c.getAsJsonObject("metadata").get("name").getAsString() + "-app"));

        List<String[]> references = new ArrayList<>(); // {secret name, key or null}
        for (JsonObject deployment : chart.ofKind("Deployment")) {
            JsonObject pod = podSpec(deployment);
            for (JsonObject container : containers(deployment)) {
                for (JsonElement var : container.getAsJsonArray("env")) {
                    JsonObject valueFrom = var.getAsJsonObject().getAsJsonObject("valueFrom");
                    if (valueFrom != null && valueFrom.has("secretKeyRef")) {
                        JsonObject ref = valueFrom.getAsJsonObject("secretKeyRef");
                        references.add(new String[]{ref.get("name").getAsString(), ref.get("key").getAsString()});
                    }
                    assertFalse(valueFrom != null && valueFrom.has("configMapKeyRef"), "no ConfigMaps are used");
                }
                assertFalse(container.has("envFrom"));
            }
            for (JsonElement v : pod.getAsJsonArray("volumes")) {
                JsonObject volume = v.getAsJsonObject();
                if (volume.has("secret")) {
                    JsonObject secret = volume.getAsJsonObject("secret");
                    for (JsonElement item : secret.getAsJsonArray("items")) {
                        references.add(new String[]{secret.get("secretName").getAsString(),
                                item.getAsJsonObject().get("key").getAsString()});
                    }
                }
                if (volume.has("persistentVolumeClaim")) {
                    String claim = volume.getAsJsonObject("persistentVolumeClaim").get("claimName").getAsString();
                    assertTrue(chart.find("PersistentVolumeClaim", claim).isPresent()
                            || claim.equals(chart.value("platformApi.artifacts.existingClaim")), name + ": claim " + claim);
                }
                assertFalse(volume.has("configMap"), "no ConfigMaps are used");
            }
        }
        for (JsonObject keycloak : chart.ofKind("Keycloak")) {
            JsonObject db = keycloak.getAsJsonObject("spec").getAsJsonObject("db");
            for (String field : List.of("usernameSecret", "passwordSecret")) {
                references.add(new String[]{db.getAsJsonObject(field).get("name").getAsString(), null});
            }
        }
        assertFalse(references.isEmpty());
        for (String[] reference : references) {
            String secret = reference[0];
            assertTrue(rendered.contains(secret) || declared.contains(secret),
                    name + ": secret " + secret + " is neither rendered nor an existingSecret value (" + declared + ")");
            if (rendered.contains(secret) && reference[1] != null) {
                JsonObject data = chart.get("Secret", secret).getAsJsonObject("stringData");
                assertTrue(data.has(reference[1]), name + ": secret " + secret + " has no key " + reference[1]);
            }
        }
    }

    @Test
    void theDefaultsCreateNoSecretsWhileTheTrialValuesDo() {
        assertTrue(Renderings.of(Renderings.DEFAULT).ofKind("Secret").isEmpty(), "production names existing secrets");
        RenderedChart trial = Renderings.of(Renderings.CPU_ONLY);
        assertEquals(Set.of("prod-aiaas-postgres", "prod-aiaas-signing-key", "prod-aiaas-enrolment-token"),
                Set.copyOf(trial.ofKind("Secret").stream()
                        .map(s -> s.getAsJsonObject("metadata").get("name").getAsString()).toList()));
        String pem = trial.get("Secret", "prod-aiaas-signing-key").getAsJsonObject("stringData")
                .get("signing-key.pem").getAsString();
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n") && pem.strip().endsWith("-----END PRIVATE KEY-----"), pem);
    }

    @Test
    void theWorkerNetworkPolicyAdmitsOnlyPlatformApiPodsAndTheMonitoringNamespace() {
        for (String name : List.of(Renderings.DEFAULT, Renderings.CPU_ONLY)) {
            RenderedChart chart = Renderings.of(name);
            JsonObject apiPods = podLabels(chart.get("Deployment", PLATFORM_API));
            for (JsonObject deployment : workers(chart)) {
                JsonObject workerPods = podLabels(deployment);
                List<JsonObject> peers = new ArrayList<>();
                boolean denied = false;
                for (JsonObject policy : policiesSelecting(chart, workerPods)) {
                    JsonObject spec = policy.getAsJsonObject("spec");
                    assertTrue(spec.getAsJsonArray("policyTypes").toString().contains("Ingress"));
                    if (!spec.has("ingress") || spec.getAsJsonArray("ingress").isEmpty()) {
                        denied = true;
                        continue;
                    }
                    for (JsonElement rule : spec.getAsJsonArray("ingress")) {
                        JsonArray from = rule.getAsJsonObject().getAsJsonArray("from");
                        assertNotNull(from, name + ": a worker ingress rule without 'from' admits everyone");
                        assertEquals("[{\"port\":8090,\"protocol\":\"TCP\"}]",
                                rule.getAsJsonObject().getAsJsonArray("ports").toString());
                        from.forEach(p -> peers.add(p.getAsJsonObject()));
                    }
                }
                assertTrue(denied, name + ": a default-deny policy selects the workers");
                String monitoring = (String) chart.value("networkPolicy.monitoringNamespace");
                int expectedPeers = monitoring == null || monitoring.isEmpty() ? 1 : 2;
                assertEquals(expectedPeers, peers.size(), name + ": " + peers);
                for (JsonObject peer : peers) {
                    if (peer.has("podSelector")) {
                        assertFalse(peer.has("namespaceSelector"), "platform-api pods of this namespace only");
                        assertTrue(selects(peer.getAsJsonObject("podSelector"), apiPods), "admits platform-api pods");
                        assertFalse(selects(peer.getAsJsonObject("podSelector"), workerPods), "but not other workers");
                    } else {
                        assertEquals(Map.of("kubernetes.io/metadata.name", monitoring), Map.of(
                                "kubernetes.io/metadata.name", peer.getAsJsonObject("namespaceSelector")
                                        .getAsJsonObject("matchLabels").get("kubernetes.io/metadata.name").getAsString()));
                        assertFalse(peer.has("ipBlock"));
                    }
                }
            }
            // platform-api: denied by default as well, then open on 8080 to any source
            List<JsonObject> apiPolicies = policiesSelecting(chart, apiPods);
            assertTrue(apiPolicies.stream().anyMatch(p -> !p.getAsJsonObject("spec").has("ingress")));
            assertTrue(apiPolicies.stream().anyMatch(p -> p.getAsJsonObject("spec").has("ingress")
                    && !p.getAsJsonObject("spec").getAsJsonArray("ingress").get(0).getAsJsonObject().has("from")));
        }
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void podDisruptionBudgetsSelectTheirDeploymentsPods(String name) {
        RenderedChart chart = Renderings.of(name);
        List<JsonObject> deployments = chart.ofKind("Deployment");
        assertEquals(deployments.size(), chart.ofKind("PodDisruptionBudget").size(), name + ": one PDB per Deployment");
        for (JsonObject pdb : chart.ofKind("PodDisruptionBudget")) {
            JsonObject selector = pdb.getAsJsonObject("spec").getAsJsonObject("selector");
            List<JsonObject> selected = deployments.stream().filter(d -> selects(selector, podLabels(d))).toList();
            assertEquals(1, selected.size(), name + ": " + RenderedChart.describe(pdb) + " selects " + selected.size());
            assertEquals(pdb.getAsJsonObject("metadata").get("name").getAsString(),
                    selected.get(0).getAsJsonObject("metadata").get("name").getAsString());
        }
        for (JsonObject deployment : deployments) {
            assertTrue(selects(deployment.getAsJsonObject("spec").getAsJsonObject("selector"), podLabels(deployment)),
                    "a Deployment's selector matches its own pod template");
        }
    }

    @Test
    void imageNamesComeFromValues() {
        assertImages(Renderings.of(Renderings.DEFAULT), "registry.example.internal/aiaas", "0.1.0-SNAPSHOT");
        assertImages(Renderings.of(Renderings.GPU_ONLY), "registry.gpu.example/aiaas", "1.2.3");
        RenderedChart moved = RenderedChart.render("moved-images", Map.of("image.registry", "mirror.example/x/",
                "image.tag", "7.0.1", "platformApi.repository", "api", "workers.cpu.repository", "w-cpu",
                "workers.gpu.repository", "w-gpu", "image.pullSecrets[0]", "regcred"));
        moved.documents().forEach(KubernetesSchema::validate);
        assertEquals(Set.of("mirror.example/x/api:7.0.1", "mirror.example/x/w-cpu:7.0.1", "mirror.example/x/w-gpu:7.0.1"),
                images(moved));
        for (JsonObject deployment : moved.ofKind("Deployment")) {
            assertEquals("[{\"name\":\"regcred\"}]", podSpec(deployment).getAsJsonArray("imagePullSecrets").toString());
        }
    }

    @Test
    void platformApiScalesOnCpuAndOptionallyOnRequestsPerSecond() {
        JsonObject cpuOnly = Renderings.of(Renderings.DEFAULT).get("HorizontalPodAutoscaler", PLATFORM_API);
        JsonArray metrics = cpuOnly.getAsJsonObject("spec").getAsJsonArray("metrics");
        assertEquals(1, metrics.size());
        assertEquals("cpu", metrics.get(0).getAsJsonObject().getAsJsonObject("resource").get("name").getAsString());
        assertEquals(PLATFORM_API, cpuOnly.getAsJsonObject("spec").getAsJsonObject("scaleTargetRef").get("name").getAsString());
        assertFalse(Renderings.of(Renderings.DEFAULT).get("Deployment", PLATFORM_API).getAsJsonObject("spec").has("replicas"),
                "the HPA owns the replica count");

        JsonArray withRps = Renderings.of(Renderings.CPU_ONLY).get("HorizontalPodAutoscaler", PLATFORM_API)
                .getAsJsonObject("spec").getAsJsonArray("metrics");
        assertEquals(2, withRps.size());
        JsonObject pods = withRps.get(1).getAsJsonObject();
        assertEquals("Pods", pods.get("type").getAsString());
        assertEquals("aiaas_http_requests_per_second",
                pods.getAsJsonObject("pods").getAsJsonObject("metric").get("name").getAsString());

        RenderedChart fixed = Renderings.of(Renderings.OPERATORS);
        assertTrue(fixed.ofKind("HorizontalPodAutoscaler").isEmpty());
        assertEquals(3, fixed.get("Deployment", PLATFORM_API).getAsJsonObject("spec").get("replicas").getAsInt());
    }

    @Test
    void theArtifactVolumeIsReadWriteManyOrAnExistingClaim() {
        JsonObject claim = Renderings.of(Renderings.DEFAULT).get("PersistentVolumeClaim", "prod-aiaas-artifacts");
        assertEquals("[\"ReadWriteMany\"]", claim.getAsJsonObject("spec").getAsJsonArray("accessModes").toString());
        RenderedChart existing = Renderings.of(Renderings.CPU_ONLY);
        assertTrue(existing.ofKind("PersistentVolumeClaim").isEmpty());
        assertEquals("shared-models", volume(existing.get("Deployment", PLATFORM_API), "artifacts")
                .getAsJsonObject("persistentVolumeClaim").get("claimName").getAsString());
    }

    @Test
    void theDatabaseIsExternalByDefaultAndCloudNativePgsWhenTheOperatorIsOn() {
        JsonObject external = containers(Renderings.of(Renderings.DEFAULT).get("Deployment", PLATFORM_API)).get(0);
        assertEquals("jdbc:postgresql://postgres.example.internal:5432/aiaas", env(external, "QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("aiaas-postgres", secretRef(external, "QUARKUS_DATASOURCE_PASSWORD").get("name").getAsString());
        assertEquals("https://keycloak.example.com/realms/aiaas", env(external, "QUARKUS_OIDC_AUTH_SERVER_URL"));

        JsonObject operated = containers(Renderings.of(Renderings.OPERATORS).get("Deployment", PLATFORM_API)).get(0);
        assertEquals("jdbc:postgresql://prod-aiaas-postgres-rw:5432/aiaas", env(operated, "QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("prod-aiaas-postgres-app", secretRef(operated, "QUARKUS_DATASOURCE_USERNAME").get("name").getAsString());
        assertEquals("username", secretRef(operated, "QUARKUS_DATASOURCE_USERNAME").get("key").getAsString());
        assertEquals("https://id.example.org/realms/aiaas", env(operated, "QUARKUS_OIDC_AUTH_SERVER_URL"));
    }

    private static void assertImages(RenderedChart chart, String registry, String tag) {
        for (String image : images(chart)) {
            assertTrue(image.startsWith(registry + "/") && image.endsWith(":" + tag), chart.name() + ": " + image);
        }
    }

    private static Set<String> images(RenderedChart chart) {
        Set<String> images = new HashSet<>();
        chart.ofKind("Deployment").forEach(d -> containers(d).forEach(c -> images.add(c.get("image").getAsString())));
        return images;
    }

    private static List<JsonObject> workers(RenderedChart chart) {
        return chart.ofKind("Deployment").stream()
                .filter(d -> "inference-worker".equals(Renderings.podTemplateLabel(d, "app.kubernetes.io/component")))
                .toList();
    }

    private static List<JsonObject> policiesSelecting(RenderedChart chart, JsonObject podLabels) {
        return chart.ofKind("NetworkPolicy").stream()
                .filter(p -> selects(p.getAsJsonObject("spec").getAsJsonObject("podSelector"), podLabels)).toList();
    }

    @SuppressWarnings("unchecked")
    private static void collectExistingSecrets(Map<String, Object> values, Set<String> into) {
        values.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map) {
                collectExistingSecrets((Map<String, Object>) map, into);
            } else if (key.equals("existingSecret") && value instanceof String s && !s.isEmpty()) {
                into.add(s);
            }
        });
    }

    private static JsonObject wrap(JsonObject matchLabels) {
        JsonObject selector = new JsonObject();
        selector.add("matchLabels", matchLabels);
        return selector;
    }

    private static String probePath(JsonObject container, String probe) {
        assertTrue(container.has(probe), container.get("name") + " has no " + probe);
        return container.getAsJsonObject(probe).getAsJsonObject("httpGet").get("path").getAsString();
    }

    private static JsonObject secretRef(JsonObject container, String env) {
        return envVar(container, env).getAsJsonObject("valueFrom").getAsJsonObject("secretKeyRef");
    }

    private static Set<String> mountPaths(JsonObject container) {
        Set<String> paths = new HashSet<>();
        container.getAsJsonArray("volumeMounts").forEach(m -> paths.add(m.getAsJsonObject().get("mountPath").getAsString()));
        return paths;
    }

    private static JsonObject mount(JsonObject container, String volume) {
        for (JsonElement m : container.getAsJsonArray("volumeMounts")) {
            if (volume.equals(m.getAsJsonObject().get("name").getAsString())) {
                return m.getAsJsonObject();
            }
        }
        throw new AssertionError("no mount of " + volume);
    }

    private static JsonObject volume(JsonObject deployment, String name) {
        for (JsonElement v : podSpec(deployment).getAsJsonArray("volumes")) {
            if (name.equals(v.getAsJsonObject().get("name").getAsString())) {
                return v.getAsJsonObject();
            }
        }
        throw new AssertionError("no volume " + name);
    }
}
