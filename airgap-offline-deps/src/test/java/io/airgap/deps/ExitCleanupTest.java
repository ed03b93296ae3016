package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop and the final step of an operation exclude each other. */
class ExitCleanupTest {
  @TempDir Path temp;

  @Test
  void aStopDeletesTheTemporaryFilesAndRefusesTheFinalStep() throws Exception {
    Path partial = Files.writeString(temp.resolve(".b.tar.1.partial"), "half");
    try (ExitCleanup cleanup = ExitCleanup.of(partial)) {
      cleanup.stop();

      assertThat(partial).doesNotExist();
      assertThatThrownBy(() -> cleanup.commit(() -> Files.writeString(temp.resolve("b.tar"), "x")))
          .isInstanceOf(InputException.class)
          .hasMessage("stopped while it was written: the JVM is shutting down");
      assertThat(temp.resolve("b.tar")).doesNotExist();
    }
  }

  @Test
  void afterTheFinalStepAStopDeletesNothing() throws Exception {
    Path partial = Files.writeString(temp.resolve(".b.tar.1.partial"), "whole");
    Path done = temp.resolve("b.tar");
    try (ExitCleanup cleanup = ExitCleanup.of(partial)) {
      cleanup.add(temp.resolve("b.tar.part001"));
      Files.writeString(temp.resolve("b.tar.part001"), "part");
      cleanup.commit(() -> Files.move(partial, done));
      cleanup.stop();
    }

    assertThat(done).hasContent("whole");
    assertThat(temp.resolve("b.tar.part001")).hasContent("part");
  }

  @Test
  void aFailedOperationUndoesLastAddedFirst() throws Exception {
    java.util.List<String> undone = new java.util.ArrayList<>();
    Path partial = Files.writeString(temp.resolve(".b.tar.1.partial"), "half");
    try (ExitCleanup cleanup = ExitCleanup.of(partial)) {
      cleanup.undo(() -> undone.add("store"));
      cleanup.undo(() -> undone.add("staging"));

      cleanup.discard();
    }

    assertThat(undone).containsExactly("staging", "store");
    assertThat(partial).doesNotExist();
  }

  @Test
  void aStopRefusesEveryLaterStep() throws Exception {
    try (ExitCleanup cleanup = ExitCleanup.of()) {
      cleanup.stop();

      assertThatThrownBy(() -> cleanup.unlessStopped(() -> "laid out"))
          .isInstanceOf(InputException.class)
          .hasMessage("stopped while it was written: the JVM is shutting down");
      assertThatThrownBy(() -> cleanup.add(temp.resolve("scratch")))
          .isInstanceOf(InputException.class)
          .hasMessage("stopped while it was written: the JVM is shutting down");
      assertThatThrownBy(() -> cleanup.create(temp.resolve("b.tar.part001")))
          .isInstanceOf(InputException.class);
    }
    assertThat(temp.resolve("b.tar.part001")).doesNotExist();
  }
}
