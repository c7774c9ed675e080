package io.aiaas.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.onnx.builder.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models with their weights in data files, as zip archives: served when every tensor reads a file the archive holds,
 * refused (before ONNX Runtime opens anything) when an archive or a model points anywhere else.
 */
class ModelArchiveTest {

    private static OnnxEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        engine = new OnnxEngine(EngineOptions.cpu());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void anArchivedModelReadsItsWeightsFromItsDataFile() throws Exception {
        Path archive = write("model.zip", TestModels.externalDataArchive());
        assertTrue(ModelArchive.isArchive(archive));
        try (LoadedModel model = engine.load(archive)) {
            assertArrayEquals(new float[] {4f, 6f, 8f, 12f}, run(model, 1f, 1f, 2f, 2f), 1e-6f);
        }
        Path unpacked = ModelArchive.unpackedDir(archive);
        assertTrue(Files.isRegularFile(unpacked.resolve("model/model.onnx")));
        assertTrue(Files.isRegularFile(unpacked.resolve("model/weights.bin")));

        // the next load uses what is unpacked, without unpacking again
        Path marker = Files.writeString(unpacked.resolve("marker"), "kept");
        try (LoadedModel again = engine.load(archive)) {
            assertArrayEquals(new float[] {4f, 6f}, run(again, 1f, 1f), 1e-6f);
        }
        assertTrue(Files.exists(marker));
        ModelArchive.deleteUnpacked(archive);
        assertFalse(Files.exists(unpacked));
        assertTrue(Files.exists(archive));
    }

    @Test
    void aSelfContainedModelIsNotAnArchiveAndAModelFileWithExternalDataIsStillRefusedAlone() throws Exception {
        assertFalse(ModelArchive.isArchive(write("linear.onnx", TestModels.linear().onnx())));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> engine.load(write("external.onnx", TestModels.withExternalData())));
        assertTrue(e.getMessage().contains("or a zip archive of the model and its data files"), e.getMessage());
    }

    @Test
    void tensorsThatReadOutsideTheArchiveOrNoFileAtAllAreRefused() throws Exception {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("../../outside.bin", "outside the model's folder in the archive");
        refused.put("../weights.bin", "outside the model's folder in the archive"); // ONNX Runtime's rule too
        refused.put("/etc/passwd", "not a plain relative path");
        refused.put("*/_ORT_MEM_ADDR_/*", "not a plain relative path");
        refused.put("_ORT_MEM_ADDR_", "not a plain relative path");
        refused.put("C:weights.bin", "not a plain relative path");
        refused.put("sub\\weights.bin", "not a plain relative path");
        refused.put("missing.bin", "which the archive does not hold");
        refused.put("model", "which the archive does not hold"); // a directory, not a file
        Files.write(dir.resolve("outside.bin"), TestModels.externalWeights(0));
        for (Map.Entry<String, String> c : refused.entrySet()) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put("model/model.onnx", TestModels.withExternalData(c.getKey(), "0", "16"));
            entries.put("model/weights.bin", TestModels.externalWeights(0));
            entries.put("weights.bin", TestModels.externalWeights(0));
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> engine.load(write("case.zip", TestModels.zip(entries))), c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()), c.getKey() + ": " + e.getMessage());
            assertFalse(e.getMessage().contains(dir.toString()), "no server path in " + e.getMessage());
        }
        // a folder below the model's is fine
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("model/model.onnx", TestModels.withExternalData("data/./weights.bin", "0", "16"));
        entries.put("model/data/weights.bin", TestModels.externalWeights(0));
        try (LoadedModel model = engine.load(write("sibling.zip", TestModels.zip(entries)))) {
            assertArrayEquals(new float[] {4f, 6f}, run(model, 1f, 1f), 1e-6f);
        }
    }

    @Test
    void offsetsAndLengthsMustLieInTheDataFile() throws Exception {
        Map<String[], String> refused = new LinkedHashMap<>();
        refused.put(new String[] {"8", "16"}, "reads bytes 8 to 24 of 'weights.bin', which has 16");
        refused.put(new String[] {"17", null}, "reads bytes 17");
        refused.put(new String[] {"-1", "16"}, "offset that is not a number of bytes");
        refused.put(new String[] {"0", "sixteen"}, "length that is not a number of bytes");
        refused.put(new String[] {"0", "9223372036854775807"}, "reads bytes 0 to");
        for (Map.Entry<String[], String> c : refused.entrySet()) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put("model.onnx", TestModels.withExternalData("weights.bin", c.getKey()[0], c.getKey()[1]));
            entries.put("weights.bin", TestModels.externalWeights(0));
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> engine.load(write("bounds.zip", TestModels.zip(entries))), String.join(",", c.getKey()));
            assertTrue(e.getMessage().contains(c.getValue()), e.getMessage());
        }
        Map<String, byte[]> noLocation = Map.of("model.onnx", TestModels.withExternalData(null, "0", "16"));
        assertTrue(assertThrows(ModelLoadException.class, () -> engine.load(write("noloc.zip",
                TestModels.zip(noLocation)))).getMessage().contains("without a location"));
    }

    @Test
    void hostileArchivesAreRefusedAndLeaveNothingUnpacked() throws Exception {
        byte[] model = TestModels.withExternalData("weights.bin", "0", "16");
        byte[] weights = TestModels.externalWeights(0);
        String plain = "is not a plain relative path";
        List<Map.Entry<String, Map<String, byte[]>>> refused = List.of(
                Map.entry(plain, entries("../model.onnx", model, "weights.bin", weights)),
                Map.entry(plain, entries("model.onnx", model, "/tmp/weights.bin", weights)),
                Map.entry(plain, entries("model.onnx", model, "a\\..\\weights.bin", weights)),
                Map.entry(plain, entries("model.onnx", model, "a//weights.bin", weights)),
                Map.entry(plain, entries("model.onnx", model, "./weights.bin", weights)),
                Map.entry("holds no .onnx file", entries("weights.bin", weights)),
                Map.entry("holds 2 .onnx files (a.onnx, b/b.ONNX); put one model in an archive",
                        entries("a.onnx", model, "b/b.ONNX", model, "weights.bin", weights)),
                Map.entry("lies below another entry that is a file",
                        entries("model.onnx", model, "weights.bin", weights, "weights.bin/x", weights)));
        for (Map.Entry<String, Map<String, byte[]>> c : refused) {
            Path archive = write("hostile.zip", TestModels.zip(c.getValue()));
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> engine.load(archive),
                    c.getValue().keySet().toString());
            assertTrue(e.getMessage().contains(c.getKey()), c.getValue().keySet() + ": " + e.getMessage());
            assertNothingUnpacked(archive);
        }
        Path garbage = write("garbage.zip", new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        assertTrue(assertThrows(ModelLoadException.class, () -> engine.load(garbage)).getMessage()
                .startsWith("not a readable zip archive"));
        assertNothingUnpacked(garbage);
    }

    @Test
    void anArchiveThatInflatesPastTheCapIsStoppedWhileInflating() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("model.onnx", TestModels.withExternalData("weights.bin", "0", "16"));
        entries.put("weights.bin", TestModels.externalWeights(0));
        entries.put("zeros.bin", new byte[4 * 1024 * 1024]); // deflates to a few KB
        Path archive = write("bomb.zip", TestModels.zip(entries));
        assertTrue(Files.size(archive) < 64 * 1024, "the archive is small: " + Files.size(archive));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> engine.load(archive, 1024 * 1024));
        assertEquals("the archive unpacks to more than 1048576 bytes", e.getMessage());
        assertNothingUnpacked(archive);
        try (LoadedModel model = engine.load(archive, 8 * 1024 * 1024)) {
            assertArrayEquals(new float[] {4f, 6f}, run(model, 1f, 1f), 1e-6f);
        }
    }

    @Test
    void whatMacOsAddsToAnArchiveIsSkipped() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("model/", new byte[0]);
        entries.put("model/model.onnx", TestModels.withExternalData("weights.bin", "0", "16"));
        entries.put("model/weights.bin", TestModels.externalWeights(0));
        entries.put("__MACOSX/model/._model.onnx", new byte[] {0, 5, 22, 7});
        entries.put("model/._weights.bin", new byte[] {0, 5, 22, 7});
        Path archive = write("mac.zip", TestModels.zip(entries));
        try (LoadedModel model = engine.load(archive)) {
            assertArrayEquals(new float[] {4f, 6f}, run(model, 1f, 1f), 1e-6f);
        }
        assertFalse(Files.exists(ModelArchive.unpackedDir(archive).resolve("__MACOSX")));
    }

    @Test
    void twoLoadsAtOnceUnpackOnceBetweenThem() throws Exception {
        Path archive = write("race.zip", TestModels.externalDataArchive());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> {
                    try (LoadedModel model = engine.load(archive)) {
                        return run(model, 1f, 1f);
                    }
                }));
            }
            for (Future<float[]> f : runs) {
                assertArrayEquals(new float[] {4f, 6f}, f.get(), 1e-6f);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(Set.of("race.zip", "race.zip.d"), left.map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toSet()), "no half-unpacked directory left");
        }
    }

    private static Map<String, byte[]> entries(Object... nameThenBytes) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            entries.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        }
        return entries;
    }

    private void assertNothingUnpacked(Path archive) throws IOException {
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(archive.getFileName().toString() + ".")).toList());
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        ModelArchive.deleteUnpacked(file);
        return Files.write(file, bytes);
    }

    /** x = the values as rows of two; y = x W. */
    private static float[] run(LoadedModel model, float... x) {
        InferenceResult result = model.run(List.of(Tensor.ofFp32("x", new long[] {x.length / 2, 2}, x)), Set.of());
        return result.outputs().get(0).floats();
    }
}
