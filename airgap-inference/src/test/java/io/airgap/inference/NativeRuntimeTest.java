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

  @Test
  void aNoexecMountIsCaught() throws Exception {
    // Mounting needs root with CAP_SYS_ADMIN, which the CI container has; skipped elsewhere.
    Path mount = Files.createDirectory(temp.resolve("noexec"));
    Process mounted =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "noexec,size=1m", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    assumeTrue(
        mounted.waitFor(10, TimeUnit.SECONDS) && mounted.exitValue() == 0,
        "cannot mount tmpfs here");
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
}
