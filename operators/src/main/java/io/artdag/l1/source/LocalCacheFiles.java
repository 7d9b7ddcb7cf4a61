package io.artdag.l1.source;

import io.artdag.l1.operators.FilePaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cache on disk: every path read must resolve (symbolic links followed) under the real path of
 * the input root ({@link FilePaths#confine}).
 */
final class LocalCacheFiles implements CacheFiles<Path> {
    private final Path root;
    private final Path realRoot;

    /** The cache at {@code root} (absolute), whose real path is {@code realRoot}. */
    LocalCacheFiles(Path root, Path realRoot) {
        this.root = root;
        this.realRoot = realRoot;
    }

    @Override
    public String root() {
        return FilePaths.encode(root);
    }

    @Override
    public Path child(Path dir, String name) {
        return dir.resolve(name);
    }

    @Override
    public Path sibling(Path dir, String name) {
        return dir.resolveSibling(name);
    }

    @Override
    public Path declared(String outputPath, Path nodeDir) throws ArtdagEntries.Rejected {
        Path p = parse(outputPath);
        return p.isAbsolute() ? p : nodeDir.getParent().resolve(p);
    }

    @Override
    public String fileName(String outputPath) {
        Path name;
        try {
            name = Path.of(outputPath).getFileName();
        } catch (InvalidPathException e) {
            return null;
        }
        if (name == null || name.toString().equals("..") || name.toString().equals(".")) {
            return null;
        }
        return name.toString();
    }

    private static Path parse(String outputPath) throws ArtdagEntries.Rejected {
        try {
            return Path.of(outputPath);
        } catch (InvalidPathException e) {
            throw new ArtdagEntries.Rejected(
                    "bad metadata: output_path '"
                            + InputNames.display(outputPath)
                            + "' is not a path");
        }
    }

    @Override
    public Path confined(Path candidate) throws Outside, IOException {
        if (!Files.exists(candidate)) {
            return null;
        }
        try {
            FilePaths.confine(candidate, realRoot);
            return candidate;
        } catch (FilePaths.OutsideRootException e) {
            throw new Outside(FilePaths.outsideReason(e.real()));
        } catch (NoSuchFileException e) {
            return null; // a dangling link
        }
    }

    @Override
    public List<Path> outputs(Path dir) throws IOException {
        List<Path> outputs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return outputs;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "output*")) {
            ds.forEach(outputs::add);
        }
        outputs.sort(null);
        return outputs;
    }

    @Override
    public boolean exists(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public InputStream openMetadata(Path file, String label)
            throws ArtdagEntries.Rejected, IOException {
        Path real;
        try {
            real = FilePaths.confine(file, realRoot);
        } catch (FilePaths.OutsideRootException e) {
            throw new ArtdagEntries.Rejected(e.getMessage());
        } catch (NoSuchFileException e) {
            throw new ArtdagEntries.Rejected(
                    "bad metadata: " + label + " vanished or is a dangling link");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArtdagEntries.Rejected("bad metadata: " + label + " is not a regular file");
        }
        return Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public String label(Path file) {
        String text = FilePaths.encode(file.toAbsolutePath().normalize());
        String base = FilePaths.encode(root) + "/";
        return text.startsWith(base) ? text.substring(base.length()) : text;
    }

    @Override
    public String text(Path file) {
        return FilePaths.encode(file.toAbsolutePath().normalize());
    }
}
