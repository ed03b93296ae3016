package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * ONNX Runtime's native libraries, taken out of its jar on the connected side for the platforms
 * asked for, so the isolated side can point {@code onnxruntime.native.path} at a directory of
 * exactly the libraries that were locked and bundled, instead of letting the jar unpack them into a
 * temporary directory at run time. The jar keeps them under {@code
 * ai/onnxruntime/native/PLATFORM/}; debug symbols are left out. Stateless.
 */
public final class NativeLibraries {
  private static final String PREFIX = "ai/onnxruntime/native/";

  private NativeLibraries() {}

  /**
   * Extracts the libraries of {@code platforms} from an ONNX Runtime jar into {@code
   * target/PLATFORM/}, hashing each as it is written.
   *
   * @throws InputException when the jar has no library for a platform asked for
   */
  public static List<LockedFile> extract(Path jar, List<String> platforms, Path target) {
    List<LockedFile> files = new ArrayList<>();
    Set<String> found = new TreeSet<>();
    Set<String> available = new TreeSet<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        if (entry.isDirectory() || !name.startsWith(PREFIX) || name.contains(".dSYM/")) {
          continue;
        }
        String relative = name.substring(PREFIX.length());
        int slash = relative.indexOf('/');
        if (slash > 0) {
          available.add(relative.substring(0, slash));
        }
        if (slash < 0
            || relative.indexOf('/', slash + 1) >= 0
            || !platforms.contains(relative.substring(0, slash))) {
          continue;
        }
        io.airgap.core.internal.ResourceNames.check(relative, jar.toString());
        try (InputStream in = zip.getInputStream(entry)) {
          HashingCopy.Result copied =
              HashingCopy.copy(in, target.resolve(relative), 2L << 30, jar + "!" + name);
          files.add(new LockedFile(relative, copied.size(), copied.sha256()));
        }
        found.add(relative.substring(0, slash));
      }
    } catch (IOException e) {
      throw new InputException("cannot read ONNX Runtime jar " + jar + ": " + e.getMessage(), e);
    }
    List<String> missing = platforms.stream().filter(p -> !found.contains(p)).toList();
    if (!missing.isEmpty()) {
      throw new InputException(
          jar.getFileName() + " has no native libraries for " + missing + "; it has " + available);
    }
    return files;
  }
}
