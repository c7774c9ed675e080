package io.aiaas.deploy.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds the apps' container images from their Quarkus fast-jars ({@code <module>/target/quarkus-app}) into OCI image
 * tarballs with jib-core: no Docker daemon, and no registry at all when the base is {@code scratch} (what CI uses,
 * since only Maven Central is reachable there). Run by the deploy/k8s module's package phase; settings are system
 * properties (docs/kubernetes.md#images).
 */
public final class ImageBuilder {

    /** The real base of the CPU images: Red Hat's UBI 9 OpenJDK 21 runtime (user 185, /deployments). */
    public static final String DEFAULT_CPU_BASE = "registry.access.redhat.com/ubi9/openjdk-21-runtime";
    /**
     * The real base of the GPU worker: a CUDA 12 + cuDNN runtime base with a JRE, built once by the operator from
     * deploy/k8s/images/Dockerfile.cuda-jre and pushed under this name (or another, given by property).
     */
    public static final String DEFAULT_GPU_BASE = "registry.example.internal/aiaas/cuda12-cudnn-jre21";
    public static final String SCRATCH = "scratch";
    public static final String DEPLOYMENTS = "/deployments";
    public static final List<String> ENTRYPOINT = List.of("java", "-jar", DEPLOYMENTS + "/quarkus-run.jar");
    public static final String USER = "185";

    /** One image: which module's quarkus-app it packs, under which name, on which port, on which base. */
    public record AppImage(String name, String module, int port, boolean gpu) {
        /** The environment baked into the image; the chart sets the same and more. */
        public Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("LANG", "C.UTF-8");
            env.put("QUARKUS_HTTP_HOST", "0.0.0.0");
            env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
            if (module.equals("inference-worker")) {
                env.put("AIAAS_WORKER_DEVICE", gpu ? "cuda" : "cpu");
            }
            return env;
        }
    }

    public static final AppImage PLATFORM_API = new AppImage("platform-api", "platform-api", 8080, false);
    public static final AppImage WORKER_CPU = new AppImage("inference-worker", "inference-worker", 8090, false);
    public static final AppImage WORKER_GPU = new AppImage("inference-worker-gpu", "inference-worker", 8090, true);

    /** What a build wrote. */
    public record Built(String reference, Path tarball, String digest, String base) {
    }

    private final Path repoRoot;
    private final Path outputDir;
    private final String cpuBase;
    private final String gpuBase;
    private final String registry;
    private final String tag;

    public ImageBuilder(Path repoRoot, Path outputDir, String cpuBase, String gpuBase, String registry, String tag) {
        this.repoRoot = repoRoot;
        this.outputDir = outputDir;
        this.cpuBase = cpuBase;
        this.gpuBase = gpuBase;
        this.registry = registry;
        this.tag = tag;
    }

    /**
     * System properties: aiaas.repo.root (.), aiaas.images.dir (target/images), aiaas.images.variant (cpu: platform-api
     * and the CPU worker; gpu: the GPU worker, from a worker built with -Pgpu), aiaas.image.base, aiaas.image.base-gpu
     * (the real bases above unless given; "scratch" for an image without a base), aiaas.image.registry, aiaas.image.tag.
     */
    public static void main(String[] args) throws Exception {
        ImageBuilder builder = new ImageBuilder(
                Path.of(System.getProperty("aiaas.repo.root", ".")).toAbsolutePath().normalize(),
                Path.of(System.getProperty("aiaas.images.dir", "target/images")).toAbsolutePath(),
                System.getProperty("aiaas.image.base", DEFAULT_CPU_BASE),
                System.getProperty("aiaas.image.base-gpu", DEFAULT_GPU_BASE),
                System.getProperty("aiaas.image.registry", "registry.example.internal/aiaas"),
                System.getProperty("aiaas.image.tag", "latest"));
        String variant = System.getProperty("aiaas.images.variant", "cpu");
        List<AppImage> images = switch (variant) {
            case "cpu" -> List.of(PLATFORM_API, WORKER_CPU);
            case "gpu" -> List.of(WORKER_GPU);
            default -> throw new IllegalArgumentException("aiaas.images.variant is cpu or gpu, not " + variant);
        };
        for (AppImage image : images) {
            long start = System.nanoTime();
            Built built = builder.build(image);
            System.out.printf("[aiaas images] %s -> %s (%s, base %s, %d MB, %.1f s)%n", built.reference(),
                    built.tarball(), built.digest(), built.base(), Files.size(built.tarball()) >> 20,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    public Built build(AppImage image) throws Exception {
        Path app = repoRoot.resolve(image.module()).resolve("target").resolve("quarkus-app");
        checkApp(image, app);
        String base = image.gpu() ? gpuBase : cpuBase;
        JibContainerBuilder container = SCRATCH.equals(base) ? Jib.fromScratch() : Jib.from(base);
        container.setFileEntriesLayers(layers(app))
                .setEntrypoint(ENTRYPOINT)
                .setProgramArguments(List.of())
                .setUser(USER)
                .setWorkingDirectory(AbsoluteUnixPath.get(DEPLOYMENTS))
                .setExposedPorts(Port.tcp(image.port()))
                .setEnvironment(image.environment())
                .addLabel("org.opencontainers.image.title", image.name())
                .addLabel("org.opencontainers.image.version", tag)
                .addLabel("org.opencontainers.image.base.name", base)
                .setFormat(ImageFormat.OCI);
        Files.createDirectories(outputDir);
        Path tarball = outputDir.resolve(image.name() + ".tar");
        String reference = registry + "/" + image.name() + ":" + tag;
        Path cache = outputDir.resolveSibling("jib-cache");
        JibContainer result = container.containerize(
                Containerizer.to(TarImage.at(tarball).named(ImageReference.parse(reference)))
                        .setBaseImageLayersCache(cache.resolve("base"))
                        .setApplicationLayersCache(cache.resolve("application"))
                        .setToolName("aiaas-deploy-k8s"));
        return new Built(reference, tarball, result.getDigest().toString(), base);
    }

    /**
     * Three layers from the least to the most often changed: the dependencies (lib/boot and lib/main), Quarkus'
     * generated startup code with the launcher jar, the application's own classes.
     */
    static List<FileEntriesLayer> layers(Path app) throws IOException {
        List<FileEntriesLayer> layers = new ArrayList<>();
        layers.add(FileEntriesLayer.builder().setName("lib")
                .addEntryRecursive(app.resolve("lib"), AbsoluteUnixPath.get(DEPLOYMENTS + "/lib")).build());
        layers.add(FileEntriesLayer.builder().setName("quarkus")
                .addEntryRecursive(app.resolve("quarkus"), AbsoluteUnixPath.get(DEPLOYMENTS + "/quarkus"))
                .addEntry(app.resolve("quarkus-run.jar"), AbsoluteUnixPath.get(DEPLOYMENTS + "/quarkus-run.jar"))
                .build());
        layers.add(FileEntriesLayer.builder().setName("app")
                .addEntryRecursive(app.resolve("app"), AbsoluteUnixPath.get(DEPLOYMENTS + "/app")).build());
        return layers;
    }

    /** Refuses a missing app, and a worker whose ONNX Runtime build does not match the image (CPU vs CUDA). */
    static void checkApp(AppImage image, Path app) throws IOException {
        for (String part : List.of("quarkus-run.jar", "lib/main", "lib/boot", "quarkus", "app")) {
            if (!Files.exists(app.resolve(part))) {
                throw new IllegalStateException(app.resolve(part) + " is missing: package " + image.module()
                        + " first (mvn package -pl " + image.module() + (image.gpu() ? " -Pgpu" : "") + ")");
            }
        }
        if (!image.module().equals("inference-worker")) {
            return;
        }
        List<String> runtimes;
        try (Stream<Path> jars = Files.list(app.resolve("lib/main"))) {
            runtimes = jars.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("com.microsoft.onnxruntime.onnxruntime")).toList();
        }
        boolean cuda = runtimes.stream().anyMatch(n -> n.startsWith("com.microsoft.onnxruntime.onnxruntime_gpu"));
        if (runtimes.isEmpty() || cuda != image.gpu()) {
            throw new IllegalStateException(image.name() + " needs the " + (image.gpu() ? "CUDA" : "CPU")
                    + " build of ONNX Runtime, but " + app + " has " + runtimes + ": build inference-worker "
                    + (image.gpu() ? "with -Pgpu" : "without -Pgpu"));
        }
    }
}
