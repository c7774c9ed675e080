package io.aiaas.deploy.images;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The images the package phase wrote (ImageBuilder) read back from their tarballs: an OCI layout whose config starts
 * {@code java -jar /deployments/quarkus-run.jar} as user 185 on the app's port, and whose three layers hold exactly
 * the files of the app's target/quarkus-app.
 */
class ImageTarballIT {

    private static final Path IMAGES = Path.of(System.getProperty("aiaas.images.dir", "target/images"));
    private static final Path REPO_ROOT = Path.of(System.getProperty("aiaas.repo.root", "../.."));
    private static final String VARIANT = System.getProperty("aiaas.images.variant", "cpu");

    @BeforeAll
    static void imagesWereBuilt() {
        Assumptions.assumeFalse(Boolean.getBoolean("aiaas.images.skip"), "images skipped (aiaas.images.skip)");
    }

    @Test
    void platformApiImageRunsTheFastJarAsUser185OnPort8080() throws IOException {
        Assumptions.assumeTrue(VARIANT.equals("cpu"), "the gpu variant builds the GPU worker only");
        check(ImageBuilder.PLATFORM_API, System.getProperty("aiaas.image.base"));
    }

    @Test
    void cpuWorkerImageRunsTheFastJarAsUser185OnPort8090() throws IOException {
        Assumptions.assumeTrue(VARIANT.equals("cpu"), "the gpu variant builds the GPU worker only");
        check(ImageBuilder.WORKER_CPU, System.getProperty("aiaas.image.base"));
        assertTrue(jarsIn(ImageBuilder.WORKER_CPU).stream().anyMatch(f -> f.contains("onnxruntime-")),
                "the CPU worker carries the CPU build of ONNX Runtime");
    }

    @Test
    void gpuWorkerImageCarriesTheCudaBuildOfOnnxRuntime() throws IOException {
        Assumptions.assumeTrue(VARIANT.equals("gpu"), "built by mvn -Pgpu only");
        check(ImageBuilder.WORKER_GPU, System.getProperty("aiaas.image.base-gpu"));
        assertTrue(jarsIn(ImageBuilder.WORKER_GPU).stream().anyMatch(f -> f.contains("onnxruntime_gpu-")));
    }

    @Test
    void aWorkerBuildOfTheWrongOnnxRuntimeFlavourIsRefused() {
        Path app = REPO_ROOT.resolve("inference-worker/target/quarkus-app");
        ImageBuilder.AppImage wrong = VARIANT.equals("gpu") ? ImageBuilder.WORKER_CPU : ImageBuilder.WORKER_GPU;
        var refusal = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> ImageBuilder.checkApp(wrong, app));
        assertTrue(refusal.getMessage().contains("-Pgpu"), refusal.getMessage());
    }

    private static void check(ImageBuilder.AppImage image, String expectedBase) throws IOException {
        Path tarball = IMAGES.resolve(image.name() + ".tar");
        assertTrue(Files.isRegularFile(tarball), tarball + " was not built");
        OciTarball oci = OciTarball.read(tarball);

        assertEquals("application/vnd.oci.image.manifest.v1+json", oci.manifest().get("mediaType").getAsString());
        assertEquals(System.getProperty("aiaas.image.registry") + "/" + image.name() + ":"
                        + System.getProperty("aiaas.image.tag"),
                oci.index().getAsJsonArray("manifests").get(0).getAsJsonObject().getAsJsonObject("annotations")
                        .get("org.opencontainers.image.ref.name").getAsString());

        JsonObject config = oci.config().getAsJsonObject("config");
        assertEquals(List.of("java", "-jar", "/deployments/quarkus-run.jar"), strings(config.get("Entrypoint")));
        assertEquals("185", config.get("User").getAsString());
        assertEquals("/deployments", config.get("WorkingDir").getAsString());
        assertEquals(Set.of(image.port() + "/tcp"), config.getAsJsonObject("ExposedPorts").keySet());
        List<String> env = strings(config.get("Env"));
        assertTrue(env.contains("QUARKUS_HTTP_PORT=" + image.port()), env.toString());
        assertTrue(env.contains("QUARKUS_HTTP_HOST=0.0.0.0"), env.toString());
        assertEquals(expectedBase, config.getAsJsonObject("Labels").get("org.opencontainers.image.base.name").getAsString());
        assertEquals("amd64", oci.config().get("architecture").getAsString());

        // from scratch the image is exactly our three layers; on a real base they come last
        List<List<String>> layers = oci.layerFiles();
        int first = layers.size() - 3;
        if ("scratch".equals(expectedBase)) {
            assertEquals(3, layers.size(), "layers of an image from scratch");
        }
        List<String> lib = layers.get(first);
        List<String> quarkus = layers.get(first + 1);
        List<String> app = layers.get(first + 2);
        assertTrue(lib.stream().allMatch(f -> f.startsWith("/deployments/lib/")), "lib layer: " + lib.size());
        assertTrue(lib.stream().anyMatch(f -> f.startsWith("/deployments/lib/boot/")), "lib/boot in the lib layer");
        assertTrue(quarkus.contains("/deployments/quarkus-run.jar"), "quarkus-run.jar in the quarkus layer");
        assertTrue(quarkus.stream().allMatch(f -> f.equals("/deployments/quarkus-run.jar")
                || f.startsWith("/deployments/quarkus/")), quarkus.toString());
        assertTrue(app.stream().allMatch(f -> f.startsWith("/deployments/app/")), app.toString());
        assertTrue(app.stream().anyMatch(f -> f.endsWith(".jar")), "the app's own jar in the app layer");

        Set<String> inImage = new TreeSet<>();
        layers.subList(first, layers.size()).forEach(inImage::addAll);
        assertEquals(filesOf(image), inImage, "the image holds exactly the files of target/quarkus-app");
    }

    /** The files of the app's quarkus-app folder as the image should hold them (quarkus-app-dependencies.txt aside). */
    private static Set<String> filesOf(ImageBuilder.AppImage image) throws IOException {
        Path app = REPO_ROOT.resolve(image.module()).resolve("target/quarkus-app");
        Set<String> files = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(app)) {
            walk.filter(Files::isRegularFile)
                    .map(p -> "/deployments/" + app.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("/deployments/quarkus-app-dependencies.txt"))
                    .forEach(files::add);
        }
        assertTrue(files.size() > 50, "a packaged Quarkus app has its jars: " + files.size());
        return files;
    }

    private static List<String> jarsIn(ImageBuilder.AppImage image) throws IOException {
        OciTarball oci = OciTarball.read(IMAGES.resolve(image.name() + ".tar"));
        List<String> all = new ArrayList<>();
        oci.layerFiles().forEach(all::addAll);
        return all.stream().filter(f -> f.startsWith("/deployments/lib/main/")).toList();
    }

    private static List<String> strings(JsonElement array) {
        List<String> values = new ArrayList<>();
        array.getAsJsonArray().forEach(e -> values.add(e.getAsString()));
        return values;
    }
}
