package io.airgap.cli;

import static io.airgap.cli.CommandRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log from the command line: create, append, verify, prove, and tampering caught. */
class AuditCommandTest {
  @TempDir Path temp;

  @Test
  void logIsWrittenVerifiedAndProvenFromTheCommandLine() throws Exception {
    Path log = temp.resolve("log");
    CommandRunner.Result init =
        run(
            "audit",
            "init",
            log,
            "--origin",
            "audit.example.org/host7",
            "--key",
            temp.resolve("k"));
    for (int i = 0; i < 3; i++) {
      assertThat(append(log, "model.load", "fraud/detector", "--attr", "n=" + i).out())
          .startsWith("index " + i + " leaf ");
    }

    CommandRunner.Result verified =
        run(
            "audit",
            "verify",
            log,
            "--verifier-key",
            temp.resolve("k.vkey"),
            "--state",
            temp.resolve("state"));
    CommandRunner.Result proved =
        run(
            "audit",
            "prove",
            log,
            "--index",
            "2",
            "--out",
            temp.resolve("e2.tlog-proof"),
            "--verifier-key",
            temp.resolve("k.vkey"));
    CommandRunner.Result checked =
        run(
            "audit",
            "verify-proof",
            temp.resolve("e2.tlog-proof"),
            "--verifier-key",
            init.out().trim(),
            "--entry",
            temp.resolve("e2.tlog-proof.entry"));

    assertThat(init.out()).startsWith("audit.example.org/host7+");
    assertThat(verified.code()).isZero();
    assertThat(verified.err()).startsWith("audit log " + log + " verified: 3 entries, root ");
    assertThat(proved.code()).isZero();
    assertThat(checked.code()).isZero();
    assertThat(checked.err()).isEqualTo("entry 2 is in audit.example.org/host7 at size 3\n");
  }

  @Test
  void exportedRangeVerifiesEntryByEntry() throws Exception {
    Path log = temp.resolve("log");
    run("audit", "init", log, "--origin", "audit.example.org/host7", "--key", temp.resolve("k"));
    for (int i = 0; i < 4; i++) {
      append(log, "a" + i, "s");
    }

    CommandRunner.Result exported =
        run(
            "audit",
            "export",
            log,
            "--from",
            "1",
            "--to",
            "3",
            "--out",
            temp.resolve("out"),
            "--verifier-key",
            temp.resolve("k.vkey"));

    assertThat(exported.err())
        .isEqualTo("exported 2 entries with their proofs to " + temp.resolve("out") + "\n");
    try (var files = Files.list(temp.resolve("out"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "checkpoint", "1.entry", "1.tlog-proof", "2.entry", "2.tlog-proof");
    }
    for (String index : new String[] {"1", "2"}) {
      assertThat(
              run(
                      "audit",
                      "verify-proof",
                      temp.resolve("out/" + index + ".tlog-proof"),
                      "--verifier-key",
                      temp.resolve("k.vkey"),
                      "--entry",
                      temp.resolve("out/" + index + ".entry"))
                  .code())
          .isZero();
    }
  }

  @Test
  void tamperedEntryExitsOneNamingTheEntry() throws Exception {
    Path log = temp.resolve("log");
    run("audit", "init", log, "--origin", "audit.example.org/host7", "--key", temp.resolve("k"));
    append(log, "a", "s");
    Path bundle = log.resolve("tile/entries/000.p/1");
    byte[] bytes = Files.readAllBytes(bundle);
    bytes[bytes.length - 3] ^= 1;
    Files.write(bundle, bytes);

    CommandRunner.Result result =
        run("audit", "verify", log, "--verifier-key", temp.resolve("k.vkey"));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "airgap: entry 0 ("
                + bundle
                + ") does not match its hash in tile "
                + log.resolve("tile/0/000.p/1")
                + "\n");
  }

  /** {@code airgap audit append} by actor "ops" with the test's key, plus any extra arguments. */
  private CommandRunner.Result append(Path log, String action, String subject, Object... extra) {
    List<Object> args = new ArrayList<>();
    args.addAll(
        List.of(
            "audit",
            "append",
            log,
            "--key",
            temp.resolve("k.key"),
            "--actor",
            "ops",
            "--action",
            action,
            "--subject",
            subject));
    args.addAll(List.of(extra));
    return run(args.toArray());
  }

  @Test
  void verifierKeyIsReadFromAFileWhosePathHasAPlusAndTakenInlineOtherwise() throws Exception {
    Path log = temp.resolve("log");
    run("audit", "init", log, "--origin", "audit.example.org/host7", "--key", temp.resolve("k"));
    append(log, "a", "s");
    Path plus = Files.createDirectories(temp.resolve("keys+2027")).resolve("audit+host7.vkey");
    Files.copy(temp.resolve("k.vkey"), plus);
    String inline = Files.readString(temp.resolve("k.vkey")).trim();

    assertThat(run("audit", "verify", log, "--verifier-key", plus).code()).isZero();
    assertThat(run("audit", "verify", log, "--verifier-key", inline).code()).isZero();
  }

  @Test
  void aTypedKeyIsTheKeyUsed() throws Exception {
    Path log = temp.resolve("log");
    run("audit", "init", log, "--origin", "audit.example.org/host7", "--key", temp.resolve("k"));
    append(log, "a", "s");
    run(
        "audit",
        "init",
        temp.resolve("other"),
        "--origin",
        "audit.example.org/host7",
        "--key",
        temp.resolve("o"));
    String otherKey = Files.readString(temp.resolve("o.vkey")).trim();

    CommandRunner.Result result = run("audit", "verify", log, "--verifier-key", otherKey);

    assertThat(result.code()).isEqualTo(1);
  }
}
