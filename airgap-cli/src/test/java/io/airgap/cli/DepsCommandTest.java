package io.airgap.cli;

import static io.airgap.cli.CommandRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
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

  /** Generates the signing key {@code k} and locks {@link #spec()} against the mirror. */
  private CommandRunner.Result lockWithNewKey() throws Exception {
    Path spec = spec();
    run("key", "generate", "--out", temp.resolve("k"));
    return run(
        "deps",
        "lock",
        "--spec",
        spec,
        "--out",
        temp.resolve("airgap.lock.json"),
        "--source",
        "directory=" + temp.resolve("mirror"));
  }

  /** Bundles the lock into {@code name}, signed with key {@code k}, plus any further options. */
  private CommandRunner.Result createBundle(String name, Object... options) throws Exception {
    List<Object> args = new ArrayList<>();
    args.addAll(
        List.of(
            "bundle",
            "create",
            "--lock",
            temp.resolve("airgap.lock.json"),
            "--out",
            temp.resolve(name),
            "--private-key",
            temp.resolve("k.pem")));
    args.addAll(List.of(options));
    return run(args.toArray());
  }

  /**
   * Bundles the current lock into {@code name} as if on 2025-11-27 (the CLI always records the
   * current time).
   */
  private void bundleAYearAgo(String name) throws Exception {
    io.airgap.deps.Bundles.create(
        io.airgap.deps.Lockfile.read(temp.resolve("airgap.lock.json")),
        io.airgap.core.signing.Pem.readSigningKey(temp.resolve("k.pem"), null),
        temp.resolve(name),
        io.airgap.deps.BundleOptions.builder()
            .files(temp.resolve("airgap-deps-files"))
            .created(java.time.Instant.parse("2025-11-27T08:00:00Z"))
            .build());
  }

  @Test
  void anOlderBundleAfterANewerOneIsRefusedWithExitOne() throws Exception {
    lockWithNewKey();
    // The lock as bundled a year ago; the model has changed since and was locked again.
    bundleAYearAgo("old.tar");
    Files.writeString(temp.resolve("mirror/models/fraud/model.onnx"), "onnx bytes v2");
    run(
        "deps",
        "lock",
        "--spec",
        temp.resolve("deps.json"),
        "--out",
        temp.resolve("airgap.lock.json"),
        "--source",
        "directory=" + temp.resolve("mirror"));
    createBundle("new.tar");
    Path store = temp.resolve("store");
    Path key = temp.resolve("k.pub.pem");

    CommandRunner.Result newer =
        run("bundle", "import", temp.resolve("new.tar"), "--store", store, "--public-key", key);
    CommandRunner.Result older =
        run("bundle", "import", temp.resolve("old.tar"), "--store", store, "--public-key", key);

    assertThat(newer.code()).as(newer.err()).isZero();
    assertThat(older.code()).isEqualTo(1);
    assertThat(older.err())
        .startsWith(
            "airgap: the bundle was created 2025-11-27T08:00:00Z, no later than the bundles that"
                + " brought other content of the store's fraud (from a bundle created ")
        .endsWith(
            "); nothing was imported (an older bundle replayed? to go back on purpose, bundle the"
                + " older artifacts again)\n");
  }

  @Test
  void aBundleOlderThanMaxAgeExitsOneAndABadAgeIsAUsageError() throws Exception {
    lockWithNewKey();
    bundleAYearAgo("old.tar");
    Path key = temp.resolve("k.pub.pem");

    CommandRunner.Result stale =
        run("bundle", "verify", temp.resolve("old.tar"), "--public-key", key, "--max-age", "30d");
    CommandRunner.Result fresh =
        run("bundle", "verify", temp.resolve("old.tar"), "--public-key", key, "--max-age", "P400D");
    CommandRunner.Result bad =
        run("bundle", "verify", temp.resolve("old.tar"), "--public-key", key, "--max-age", "5x");

    assertThat(stale.code()).isEqualTo(1);
    assertThat(stale.err())
        .startsWith(
            "airgap: "
                + temp.resolve("old.tar")
                + ": the bundle was created 2025-11-27T08:00:00Z, more than the allowed PT720H"
                + " before now (");
    assertThat(fresh.code()).as(fresh.err()).isZero();
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("'5x' is not an age such as 30d, 12h, 45m or P30D");
  }

  @Test
  void acrossTheGapInAFewCommands() throws Exception {
    CommandRunner.Result lock = lockWithNewKey();
    CommandRunner.Result create = createBundle("b.tar");
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
    CommandRunner.Result storeVerify =
        run("store", "verify", temp.resolve("store"), "--public-key", temp.resolve("k.pub.pem"));
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
        .matches(
            java.util.regex.Pattern.quote(
                    "bundle " + temp.resolve("b.tar") + " verified: 1 artifacts")
                + ", created \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n");
    assertThat(imported.code()).isZero();
    assertThat(list.out()).isEqualTo("fraud  model  2 files, 12 bytes\n");
    assertThat(storeVerify.code()).isZero();
    assertThat(storeVerify.err())
        .isEqualTo(
            "content store "
                + temp.resolve("store")
                + " verified: every artifact from a bundle signed by "
                + io.airgap.core.signing.Pem.hint(
                    io.airgap.core.signing.Pem.readPublicKey(temp.resolve("k.pub.pem")))
                + "\n");
    assertThat(resolve.code()).isZero();
    assertThat(Files.readString(temp.resolve("out/fraud/model.onnx"))).isEqualTo("onnx bytes");
  }

  @Test
  void aTamperedBundleAndAMissingArtifactExitOne() throws Exception {
    lockWithNewKey();
    createBundle("b.tar");
    byte[] bytes = Files.readAllBytes(temp.resolve("b.tar"));
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    bytes[text.indexOf("onnx bytes")] ^= 1;
    Files.write(temp.resolve("b.tar"), bytes);

    CommandRunner.Result intoNewStore =
        run(
            "bundle",
            "import",
            temp.resolve("b.tar"),
            "--store",
            temp.resolve("new/store"),
            "--public-key",
            temp.resolve("k.pub.pem"));
    io.airgap.deps.ContentStore.openOrCreate(temp.resolve("store"));
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

    assertThat(intoNewStore.code()).isEqualTo(1);
    // No empty store, nor the directory made for it, left at a new path.
    assertThat(temp.resolve("new")).doesNotExist();
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
    lockWithNewKey();

    CommandRunner.Result create = createBundle("b.tar", "--split-size", "2K");
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
    assertThat(createBundle("c.tar", "--split-size", "lots").code()).isEqualTo(2);
  }

  @Test
  void aMalformedSourceIsAUsageErrorNamingIt() throws Exception {
    CommandRunner.Result result =
        run(
            "deps",
            "lock",
            "--spec",
            spec(),
            "--out",
            temp.resolve("airgap.lock.json"),
            "--source",
            "maven=http://bad host/");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).startsWith("--source maven=http://bad host/: Illegal character");
  }

  @Test
  void anUnknownSourceTypeIsAUsageErrorNamingTheTypes() throws Exception {
    CommandRunner.Result result =
        run(
            "deps",
            "lock",
            "--spec",
            spec(),
            "--out",
            temp.resolve("airgap.lock.json"),
            "--source",
            "svn=https://svn.intra/");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .startsWith(
            "--source svn=https://svn.intra/: the type must be maven, directory, huggingface, oci"
                + " or oci-layout, not svn\n");
  }

  @Test
  void aWorkDirectoryHoldsTheWholeBundleSoTheMediumHoldsOnlyParts() throws Exception {
    lockWithNewKey();
    Path work = Files.createDirectories(temp.resolve("work"));

    CommandRunner.Result create = createBundle("d.tar", "--split-size", "2K", "--work-dir", work);
    CommandRunner.Result again = createBundle("d.tar", "--split-size", "2K", "--work-dir", work);
    CommandRunner.Result noSplit = createBundle("e.tar", "--work-dir", work);

    assertThat(create.code()).as(create.err()).isZero();
    assertThat(temp.resolve("d.tar.part002")).exists();
    assertThat(temp.resolve("d.tar")).doesNotExist();
    assertThat(work).isEmptyDirectory();
    assertThat(again.code()).isEqualTo(3);
    assertThat(again.err())
        .startsWith("airgap: " + temp + " already holds parts of a bundle d.tar [d.tar.part000,");
    assertThat(work).isEmptyDirectory();
    assertThat(noSplit.code()).isEqualTo(2);
    assertThat(noSplit.err()).startsWith("--work-dir applies only with --split-size\n");
    // The whole is written under a temporary name of its own: a file of the bundle's name in the
    // work directory is left alone.
    Files.writeString(work.resolve("f.tar"), "last week's bundle");
    CommandRunner.Result beside = createBundle("f.tar", "--split-size", "2K", "--work-dir", work);
    assertThat(beside.code()).as(beside.err()).isZero();
    assertThat(work.resolve("f.tar")).hasContent("last week's bundle");
    try (java.util.stream.Stream<Path> entries = Files.list(work)) {
      assertThat(entries).containsExactly(work.resolve("f.tar"));
    }
    assertThat(temp.resolve("f.tar.part000")).exists();
  }

  /** Runs the CLI in a child JVM (this test's class path), optionally inside {@code unshare -n}. */
  private static Process cli(Path log, boolean isolated, Object... args) throws Exception {
    List<String> command = new ArrayList<>();
    if (isolated) {
      command.addAll(List.of("unshare", "-n"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "io.airgap.cli.AirgapCommand"));
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
    Assumptions.assumeTrue(
        probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0,
        "unshare -n needs root (CI runs as root)");
    lockWithNewKey();
    createBundle("b.tar");

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
    assertThat(imported.waitFor(120, TimeUnit.SECONDS)).isTrue();
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
    assertThat(resolved.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(resolved.exitValue()).as(Files.readString(temp.resolve("resolve.log"))).isZero();
    assertThat(Files.readString(temp.resolve("out/fraud/model.onnx"))).isEqualTo("onnx bytes");
  }
}
