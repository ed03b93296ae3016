package io.airgap.cli;

import static io.airgap.cli.CommandRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connected side (lock, bundle create) and the isolated side (verify, import, resolve). */
class DepsCommandTest {
  @TempDir Path temp;

  private Path spec() throws Exception {
    Path mirror = Files.createDirectories(temp.resolve("mirror/models/fraud"));
    Files.writeString(mirror.resolve("model.onnx"), "onnx bytes");
    Files.writeString(mirror.resolve("model.sig"), "{}");
    return Files.writeString(
        temp.resolve("deps.json"),
        "{\"schemaVersion\": 1, \"artifacts\": [{\"name\": \"fraud\", \"kind\": \"model\","
            + " \"source\": {\"type\": \"directory\", \"path\": \"models/fraud\"}}]}");
  }

  @Test
  void acrossTheGapInAFewCommands() throws Exception {
    Path spec = spec();
    run("key", "generate", "--out", temp.resolve("k"));

    CommandRunner.Result lock =
        run(
            "deps",
            "lock",
            "--spec",
            spec,
            "--out",
            temp.resolve("airgap.lock.json"),
            "--source",
            "directory=" + temp.resolve("mirror"));
    CommandRunner.Result create =
        run(
            "bundle",
            "create",
            "--lock",
            temp.resolve("airgap.lock.json"),
            "--out",
            temp.resolve("b.tar"),
            "--private-key",
            temp.resolve("k.pem"));
    CommandRunner.Result inspect = run("bundle", "inspect", temp.resolve("b.tar"));
    CommandRunner.Result verify =
        run("bundle", "verify", temp.resolve("b.tar"), "--public-key", temp.resolve("k.pub.pem"));
    CommandRunner.Result imported =
        run(
            "bundle",
            "import",
            temp.resolve("b.tar"),
            "--store",
            temp.resolve("store"),
            "--public-key",
            temp.resolve("k.pub.pem"));
    CommandRunner.Result list = run("store", "list", temp.resolve("store"));
    CommandRunner.Result storeVerify = run("store", "verify", temp.resolve("store"));
    CommandRunner.Result resolve =
        run(
            "deps",
            "resolve",
            "--lock",
            temp.resolve("airgap.lock.json"),
            "--store",
            temp.resolve("store"),
            "--materialize",
            temp.resolve("out"));

    assertThat(lock.code()).isZero();
    assertThat(lock.err()).startsWith("fraud  model  2 files, 12 bytes\n");
    assertThat(create.code()).isZero();
    assertThat(inspect.out()).isEqualTo("fraud  model  2 files, 12 bytes\n");
    assertThat(verify.code()).isZero();
    assertThat(verify.err())
        .isEqualTo("bundle " + temp.resolve("b.tar") + " verified: 1 artifacts\n");
    assertThat(imported.code()).isZero();
    assertThat(list.out()).isEqualTo("fraud  model  2 files, 12 bytes\n");
    assertThat(storeVerify.code()).isZero();
    assertThat(resolve.code()).isZero();
    assertThat(Files.readString(temp.resolve("out/fraud/model.onnx"))).isEqualTo("onnx bytes");
  }

  @Test
  void aTamperedBundleAndAMissingArtifactExitOne() throws Exception {
    Path spec = spec();
    run("key", "generate", "--out", temp.resolve("k"));
    run(
        "deps",
        "lock",
        "--spec",
        spec,
        "--out",
        temp.resolve("airgap.lock.json"),
        "--source",
        "directory=" + temp.resolve("mirror"));
    run(
        "bundle",
        "create",
        "--lock",
        temp.resolve("airgap.lock.json"),
        "--out",
        temp.resolve("b.tar"),
        "--private-key",
        temp.resolve("k.pem"));
    byte[] bytes = Files.readAllBytes(temp.resolve("b.tar"));
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    bytes[text.indexOf("onnx bytes")] ^= 1;
    Files.write(temp.resolve("b.tar"), bytes);

    CommandRunner.Result tampered =
        run(
            "bundle",
            "import",
            temp.resolve("b.tar"),
            "--store",
            temp.resolve("store"),
            "--public-key",
            temp.resolve("k.pub.pem"));
    CommandRunner.Result missing =
        run(
            "deps",
            "resolve",
            "--lock",
            temp.resolve("airgap.lock.json"),
            "--store",
            temp.resolve("store"));

    assertThat(tampered.code()).isEqualTo(1);
    assertThat(tampered.err()).contains("(model.onnx) holds 10 bytes hashing to");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err())
        .isEqualTo(
            "airgap: 1 artifact(s) not found: fraud: not in content store "
                + temp.resolve("store")
                + "\n");
  }

  @Test
  void aSplitBundleImportsFromItsFirstPart() throws Exception {
    Path spec = spec();
    run("key", "generate", "--out", temp.resolve("k"));
    run(
        "deps",
        "lock",
        "--spec",
        spec,
        "--out",
        temp.resolve("airgap.lock.json"),
        "--source",
        "directory=" + temp.resolve("mirror"));

    CommandRunner.Result create =
        run(
            "bundle",
            "create",
            "--lock",
            temp.resolve("airgap.lock.json"),
            "--out",
            temp.resolve("b.tar"),
            "--private-key",
            temp.resolve("k.pem"),
            "--split-size",
            "2K");
    CommandRunner.Result imported =
        run(
            "bundle",
            "import",
            temp.resolve("b.tar.part000"),
            "--store",
            temp.resolve("store"),
            "--public-key",
            temp.resolve("k.pub.pem"));

    assertThat(create.code()).as(create.err()).isZero();
    assertThat(create.err())
        .endsWith(
            "split into parts beside "
                + temp.resolve("b.tar.part000")
                + " (pass it to verify and import)\n");
    assertThat(Files.exists(temp.resolve("b.tar.part002"))).isTrue();
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(
            run(
                    "bundle",
                    "create",
                    "--lock",
                    temp.resolve("airgap.lock.json"),
                    "--out",
                    temp.resolve("c.tar"),
                    "--private-key",
                    temp.resolve("k.pem"),
                    "--split-size",
                    "lots")
                .code())
        .isEqualTo(2);
  }

  /** Runs the CLI in a child JVM (this test's class path), optionally inside {@code unshare -n}. */
  private static Process cli(Path log, boolean isolated, Object... args) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>();
    if (isolated) {
      command.addAll(java.util.List.of("unshare", "-n"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        java.util.List.of(
            "-cp", System.getProperty("java.class.path"), "io.airgap.cli.AirgapCommand"));
    for (Object arg : args) {
      command.add(arg.toString());
    }
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  @Test
  void theIsolatedSideNeedsNoNetworkAtAll() throws Exception {
    Process probe = new ProcessBuilder("unshare", "-n", "true").start();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        probe.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && probe.exitValue() == 0,
        "unshare -n needs root (CI runs as root)");
    Path spec = spec();
    run("key", "generate", "--out", temp.resolve("k"));
    run(
        "deps",
        "lock",
        "--spec",
        spec,
        "--out",
        temp.resolve("airgap.lock.json"),
        "--source",
        "directory=" + temp.resolve("mirror"));
    run(
        "bundle",
        "create",
        "--lock",
        temp.resolve("airgap.lock.json"),
        "--out",
        temp.resolve("b.tar"),
        "--private-key",
        temp.resolve("k.pem"));

    // Only a down loopback interface in this namespace: any connection attempt would fail.
    Process imported =
        cli(
            temp.resolve("import.log"),
            true,
            "bundle",
            "import",
            temp.resolve("b.tar"),
            "--store",
            temp.resolve("store"),
            "--public-key",
            temp.resolve("k.pub.pem"));
    assertThat(imported.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(imported.exitValue()).as(Files.readString(temp.resolve("import.log"))).isZero();
    Process resolved =
        cli(
            temp.resolve("resolve.log"),
            true,
            "deps",
            "resolve",
            "--lock",
            temp.resolve("airgap.lock.json"),
            "--store",
            temp.resolve("store"),
            "--materialize",
            temp.resolve("out"));
    assertThat(resolved.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(resolved.exitValue()).as(Files.readString(temp.resolve("resolve.log"))).isZero();
    assertThat(Files.readString(temp.resolve("out/fraud/model.onnx"))).isEqualTo("onnx bytes");
  }
}
