package io.airgap.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Makes and copies small models for tests. */
public final class TestModels {
  private TestModels() {}

  /** Writes a file, creating parent directories. */
  public static Path write(Path root, String name, String content) {
    try {
      Path file = root.resolve(name);
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A model directory with three files in two directories. */
  public static Path smallModel(Path parent) {
    Path model = parent.resolve("model");
    write(model, "config.json", "{\"layers\": 2}");
    write(model, "weights/part-1.bin", "0123456789".repeat(100));
    write(model, "weights/part-2.bin", "abcdefghij".repeat(37));
    return model;
  }

  /** A test resource directory as a path. */
  public static Path resource(String name) {
    try {
      return Path.of(TestModels.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies a directory tree into {@code target}, making every copy writable. */
  public static Path copy(Path source, Path target) {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path destination = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(path, destination);
        }
        destination.toFile().setWritable(true);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Flips the lowest bit of one byte of a file. */
  public static void flipByte(Path file, int index) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      bytes[index] ^= 1;
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
