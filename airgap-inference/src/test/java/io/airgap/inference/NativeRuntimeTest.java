package io.airgap.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the native libraries come from is checked before ONNX Runtime is loaded. */
class NativeRuntimeTest {
  @TempDir Path temp;

  @Test
  void aNormalTemporaryDirectoryPasses() {
    assertThat(NativeRuntime.checkTemporaryDirectory(temp)).isEmpty();
  }

  @Test
  void aMissingDirectoryIsNamed() {
    assertThat(NativeRuntime.checkTemporaryDirectory(temp.resolve("nope")))
        .containsExactly("does not exist or is not a directory");
    assertThat(NativeRuntime.checkNativeDirectory(temp))
        .containsExactly(
            temp + " has no libonnxruntime.so for " + NativeRuntime.platform(),
            temp + " has no libonnxruntime4j_jni.so for " + NativeRuntime.platform());
  }

  /**
   * A 1 MiB tmpfs mounted with {@code option}. Mounting needs root with CAP_SYS_ADMIN, which the CI
   * container has; the test is skipped elsewhere.
   */
  private Path mountTmpfs(String option) throws Exception {
    Path mount = Files.createDirectory(temp.resolve(option));
    Process mounted =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", option + ",size=1m", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    assumeTrue(
        mounted.waitFor(10, TimeUnit.SECONDS) && mounted.exitValue() == 0,
        "cannot mount tmpfs here");
    return mount;
  }

  @Test
  void aNoexecMountIsCaught() throws Exception {
    Path mount = mountTmpfs("noexec");
    try {
      assertThat(NativeRuntime.checkTemporaryDirectory(mount))
          .containsExactly("does not allow execution (mounted noexec?)");
    } finally {
      new ProcessBuilder("umount", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void platformNamesFollowOnnxRuntime() {
    assertThat(NativeRuntime.platform())
        .isIn("linux-x64", "linux-aarch64", "osx-aarch64", "osx-x64", "win-x64");
  }

  @Test
  void aReadOnlyTemporaryDirectoryIsCaughtEvenForANativePath() throws Exception {
    Path mount = mountTmpfs("ro");
    try {
      assertThat(NativeRuntime.checkWritable(mount))
          .singleElement()
          .asString()
          .startsWith("is not writable (");
      assertThat(NativeRuntime.checkWritable(temp)).isEmpty();
    } finally {
      new ProcessBuilder("umount", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStartFailureIsDescribedByItsCause() {
    // ONNX Runtime's class initialiser wraps the real reason in an error without a message.
    Error wrapped =
        new ExceptionInInitializerError(new java.io.IOException("Read-only file system"));

    assertThat(NativeRuntime.reason(wrapped)).isEqualTo("IOException: Read-only file system");
    assertThat(NativeRuntime.reason(new UnsatisfiedLinkError("no onnxruntime in path")))
        .isEqualTo("no onnxruntime in path");
    assertThat(NativeRuntime.reason(new NoClassDefFoundError()))
        .isEqualTo("java.lang.NoClassDefFoundError");
  }
}
