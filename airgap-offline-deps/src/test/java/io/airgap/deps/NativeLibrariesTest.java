package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's native libraries are locked per platform out of its jar. */
class NativeLibrariesTest {
  @TempDir Path temp;
  private Path maven;

  @BeforeEach
  void publishAJarLikeOnnxRuntimes() throws Exception {
    maven = temp.resolve("m2");
    Path dir =
        Files.createDirectories(maven.resolve("com/microsoft/onnxruntime/onnxruntime/1.24.2"));
    Path jar = dir.resolve("onnxruntime-1.24.2.jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (String[] entry :
          new String[][] {
            {"ai/onnxruntime/OrtEnvironment.class", "class"},
            {"ai/onnxruntime/native/linux-x64/libonnxruntime.so", "linux core"},
            {"ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so", "linux jni"},
            {"ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib", "mac core"},
            {
              "ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib.dSYM/Contents/Info.plist",
              "symbols"
            }
          }) {
        zip.putNextEntry(new ZipEntry(entry[0]));
        zip.write(entry[1].getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    byte[] bytes = Files.readAllBytes(jar);
    Files.writeString(
        dir.resolve("onnxruntime-1.24.2.jar.sha1"),
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes)));
  }

  private Lockfile lock(String platforms) {
    String spec =
        "{\"schemaVersion\": 1, \"artifacts\": [{\"name\": \"onnxruntime-1.24.2\", \"kind\": \"native-libraries\","
            + " \"source\": {\"type\": \"maven\", \"coordinates\": \"com.microsoft.onnxruntime:onnxruntime:1.24.2\","
            + " \"platforms\": \""
            + platforms
            + "\"}}]}";
    return Locker.lock(
        DependencySpec.parse(spec.getBytes(StandardCharsets.UTF_8), "spec.json"),
        List.of(new MavenRepository(maven.toUri(), Duration.ofSeconds(5))),
        temp.resolve("scratch"));
  }

  @Test
  void onlyTheChosenPlatformsLibrariesAreLocked() throws Exception {
    Lockfile lock = lock("linux-x64,osx-aarch64");

    assertThat(lock.artifact("onnxruntime-1.24.2").orElseThrow().files())
        .extracting(LockedFile::path)
        .containsExactly(
            "linux-x64/libonnxruntime.so",
            "linux-x64/libonnxruntime4j_jni.so",
            "osx-aarch64/libonnxruntime.dylib");
    assertThat(
            Files.readString(
                temp.resolve("scratch/onnxruntime-1.24.2/linux-x64/libonnxruntime4j_jni.so")))
        .isEqualTo("linux jni");
    assertThat(Files.exists(temp.resolve("scratch/onnxruntime-1.24.2/onnxruntime-1.24.2.jar")))
        .isFalse();
    // Bundled and imported, they come out as a directory onnxruntime.native.path can name.
    io.airgap.core.signing.SigningKey key =
        io.airgap.core.signing.Pem.generate(io.airgap.core.signing.KeyType.ECDSA_P256);
    Bundles.create(
        lock,
        key,
        temp.resolve("b.tar"),
        BundleOptions.builder().files(temp.resolve("scratch")).build());
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Bundles.importInto(temp.resolve("b.tar"), key.publicKey(), store, VerifyOptions.defaults());
    Resolver.materialize(lock, store, temp.resolve("natives"));
    assertThat(
            Files.readString(
                temp.resolve("natives/onnxruntime-1.24.2/linux-x64/libonnxruntime.so")))
        .isEqualTo("linux core");
    if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(
                      temp.resolve("natives/onnxruntime-1.24.2/linux-x64/libonnxruntime.so"))))
          .isEqualTo("rwxr-xr-x");
    }
  }

  @Test
  void aPlatformTheJarLacksIsRefused() {
    assertThatThrownBy(() -> lock("win-x64"))
        .isInstanceOf(InputException.class)
        .hasMessage(
            "onnxruntime-1.24.2.jar has no native libraries for [win-x64]; it has [linux-x64, osx-aarch64]");
  }
}
