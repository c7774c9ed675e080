package io.aiaas.deploy.images;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * An OCI image layout tarball read back without any container tool: index, manifest, config and each layer's file
 * list, with every blob checked against its sha256 digest.
 */
record OciTarball(JsonObject index, JsonObject manifest, JsonObject config, List<List<String>> layerFiles) {

    static OciTarball read(Path tarball) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    entries.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        if (!entries.containsKey("oci-layout") || !entries.containsKey("index.json")) {
            throw new AssertionError(tarball + " is not an OCI image layout: " + entries.keySet());
        }
        JsonObject index = json(entries.get("index.json"));
        JsonObject manifest = json(blob(entries, index.getAsJsonArray("manifests").get(0).getAsJsonObject()));
        JsonObject config = json(blob(entries, manifest.getAsJsonObject("config")));
        List<List<String>> layers = new ArrayList<>();
        for (var layer : manifest.getAsJsonArray("layers")) {
            layers.add(files(blob(entries, layer.getAsJsonObject())));
        }
        return new OciTarball(index, manifest, config, layers);
    }

    /** The blob a descriptor points at, after checking its digest and size. */
    private static byte[] blob(Map<String, byte[]> entries, JsonObject descriptor) {
        String digest = descriptor.get("digest").getAsString();
        byte[] content = entries.get("blobs/sha256/" + digest.substring("sha256:".length()));
        if (content == null) {
            throw new AssertionError("blob " + digest + " is missing");
        }
        if (!digest.equals("sha256:" + sha256(content))) {
            throw new AssertionError("blob " + digest + " does not match its digest");
        }
        if (descriptor.get("size").getAsLong() != content.length) {
            throw new AssertionError("blob " + digest + " is " + content.length + " bytes, the descriptor says "
                    + descriptor.get("size"));
        }
        return content;
    }

    /** Paths of the regular files in a gzip-compressed layer, absolute as in the container. */
    private static List<String> files(byte[] gzippedLayer) throws IOException {
        List<String> files = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzippedLayer));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    String name = entry.getName();
                    files.add(name.startsWith("/") ? name : "/" + name);
                }
            }
        }
        return files;
    }

    private static JsonObject json(byte[] bytes) {
        return JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
