package io.aiaas.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A model whose weights live beside it (ONNX external data: every model over 2 GB, protobuf's limit) travels as one
 * zip archive: the {@code .onnx} file and its data files, in any folder layout. The archive is the artifact (uploaded,
 * hashed, stored and downloaded as one file); it is unpacked once, beside itself, into {@code <archive>.d/}, and the
 * model is loaded from there with its external data confined to that directory ({@link ExternalDataCheck}).
 * <p>
 * Unpacking refuses what a hostile archive could do to the machine: entry names that are absolute, contain
 * {@code ..}, backslashes or NUL, or repeat; more than {@link #MAX_ENTRIES} entries; more bytes than the caller's cap
 * (counted while inflating, not taken from the archive's own claims); anything but exactly one {@code .onnx} file.
 * The {@code __MACOSX/} folder and {@code ._*} files that macOS adds to archives are skipped. No link is ever
 * created (java.util.zip writes plain files). The unpacked directory appears under its final name only when complete.
 */
public final class ModelArchive {

    /** Most entries an archive may have (a model saved one file per tensor has one per initializer). */
    public static final int MAX_ENTRIES = 10_000;
    /** Longest entry name. */
    static final int MAX_NAME_LENGTH = 1024;
    private static final byte[] MAGIC = {'P', 'K', 3, 4};
    private static final String UNPACKED_SUFFIX = ".d";

    private ModelArchive() {
    }

    /** Whether the file starts like a zip archive (a self-contained ONNX model never does: it starts with field 1). */
    public static boolean isArchive(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC.length);
            return java.util.Arrays.equals(head, MAGIC);
        }
    }

    /** Where {@code archive} is (or would be) unpacked: {@code <archive>.d}, beside it. */
    public static Path unpackedDir(Path archive) {
        return archive.resolveSibling(archive.getFileName() + UNPACKED_SUFFIX);
    }

    /**
     * The model file of an archive, unpacking it first when {@link #unpackedDir} does not exist yet. Two callers at
     * once each unpack into a directory of their own and the first to finish wins; the other's is removed.
     *
     * @param maxUnpackedBytes most bytes the archive may unpack to, all files together
     * @return the one {@code .onnx} file inside the unpacked directory
     * @throws ModelLoadException naming what is wrong with the archive
     * @throws IOException        when the disk fails
     */
    public static Path unpack(Path archive, long maxUnpackedBytes) throws IOException {
        Path dir = unpackedDir(archive);
        if (Files.isDirectory(dir)) {
            return modelIn(dir);
        }
        Path temp = archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID() + ".unpacking");
        try {
            unpackInto(archive, temp, maxUnpackedBytes);
            try {
                Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileSystemException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
                // another caller finished first (rename onto a non-empty directory fails): use theirs
            }
            return modelIn(dir);
        } finally {
            deleteTree(temp);
        }
    }

    /** The bytes of every file {@link #unpack} made beside {@code archive}; 0 when it is not unpacked. */
    public static long unpackedBytes(Path archive) {
        Path dir = unpackedDir(archive);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Removes what {@link #unpack} made beside {@code archive}, if anything; never throws. */
    public static void deleteUnpacked(Path archive) {
        deleteTree(unpackedDir(archive));
    }

    /**
     * Moves a file to {@code target} and, for an archive, the directory it was unpacked into along with it (or, should
     * that fail, removes the directory: the next load unpacks the archive again).
     */
    public static void move(Path file, Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        Path dir = unpackedDir(file);
        if (Files.isDirectory(dir)) {
            try {
                Files.move(dir, unpackedDir(target), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteTree(dir);
            }
        }
    }

    private static void unpackInto(Path archive, Path dir, long maxUnpackedBytes) throws IOException {
        Files.createDirectories(dir);
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            List<ZipEntry> files = entries(zip);
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            for (ZipEntry entry : files) {
                Path target = dir.resolve(entry.getName());
                try {
                    Files.createDirectories(target.getParent());
                } catch (FileAlreadyExistsException | NotDirectoryException e) {
                    throw new ModelLoadException("the archive entry '" + entry.getName()
                            + "' lies below another entry that is a file");
                }
                try (InputStream in = zip.getInputStream(entry);
                     OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                             StandardOpenOption.WRITE)) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        total += n;
                        if (total > maxUnpackedBytes) {
                            throw new ModelLoadException("the archive unpacks to more than " + maxUnpackedBytes
                                    + " bytes");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (ZipException e) {
            throw new ModelLoadException("not a readable zip archive: " + e.getMessage());
        }
    }

    /** The archive's files in order, every name checked; exactly one of them a .onnx file. */
    private static List<ZipEntry> entries(ZipFile zip) {
        if (zip.size() > MAX_ENTRIES) {
            throw new ModelLoadException("the archive has " + zip.size() + " entries, more than " + MAX_ENTRIES);
        }
        List<ZipEntry> files = new ArrayList<>();
        List<String> models = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry entry = all.nextElement();
            String name = entry.getName();
            checkName(name);
            if (!seen.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name)) {
                throw new ModelLoadException("the archive holds '" + name + "' twice");
            }
            if (entry.isDirectory() || skipped(name)) {
                continue;
            }
            if (name.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                models.add(name);
            }
            files.add(entry);
        }
        if (models.isEmpty()) {
            throw new ModelLoadException("the archive holds no .onnx file");
        }
        if (models.size() > 1) {
            throw new ModelLoadException("the archive holds " + models.size() + " .onnx files ("
                    + String.join(", ", models.subList(0, Math.min(5, models.size())))
                    + (models.size() > 5 ? ", ..." : "") + "); put one model in an archive");
        }
        return files;
    }

    /** What macOS's archiver adds: resource forks, never part of a model. */
    private static boolean skipped(String name) {
        String last = name.substring(name.lastIndexOf('/') + 1);
        return name.startsWith("__MACOSX/") || last.startsWith("._");
    }

    private static void checkName(String name) {
        String shown = name.length() > 200 ? name.substring(0, 200) + "..." : name;
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new ModelLoadException("the archive has an entry with an empty or over-long name");
        }
        if (name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0 || name.contains(":")) {
            throw new ModelLoadException("the archive entry '" + shown.replace('\0', '?')
                    + "' is not a plain relative path");
        }
        String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new ModelLoadException("the archive entry '" + shown + "' is not a plain relative path");
            }
        }
    }

    /** The one .onnx file of an unpacked archive. */
    static Path modelIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> models = files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")).toList();
            if (models.size() != 1) {
                throw new ModelLoadException("the unpacked archive holds " + models.size() + " .onnx files");
            }
            return models.get(0);
        }
    }

    /** Removes a file or a directory with all it holds, best effort; never throws. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover directory is unpacked over under a new name next time
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
