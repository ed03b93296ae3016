package io.airgap.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path temp;

  @org.junit.jupiter.api.BeforeEach
  void posixFileSystem() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        temp.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "file modes are POSIX");
  }

  @Test
  void writtenFileHasTheModeOfAnyNewFileNotATemporaryFilesMode() throws Exception {
    Path ordinary = Files.writeString(temp.resolve("ordinary.txt"), "x");

    AtomicFiles.write(temp.resolve("model.sig"), "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(Files.getPosixFilePermissions(temp.resolve("model.sig")))
        .isEqualTo(Files.getPosixFilePermissions(ordinary));
    assertThat(Files.readString(temp.resolve("model.sig"))).isEqualTo("{}");
  }

  @Test
  void explicitPermissionsAreKept() throws Exception {
    AtomicFiles.write(
        temp.resolve("key.pem"),
        new byte[] {1},
        PosixFilePermissions.fromString("rw-------"),
        false);

    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("key.pem"))))
        .isEqualTo("rw-------");
  }

  @Test
  void refusesToReplaceWhenAskedNotToAndLeavesNoTemporary() throws Exception {
    Files.writeString(temp.resolve("key.pem"), "old");

    assertThatThrownBy(
            () -> AtomicFiles.write(temp.resolve("key.pem"), new byte[] {1}, null, false))
        .isInstanceOf(InputException.class)
        .hasMessage(temp.resolve("key.pem") + " already exists; refusing to overwrite it");
    assertThat(Files.readString(temp.resolve("key.pem"))).isEqualTo("old");
    try (var files = Files.list(temp)) {
      assertThat(files).containsExactly(temp.resolve("key.pem"));
    }
  }
}
