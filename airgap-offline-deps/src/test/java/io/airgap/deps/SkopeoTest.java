package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle's OCI layout is one other tools accept: Debian's skopeo (which the CI script installs)
 * copies an artifact out of the extracted bundle to a {@code dir:} target and into a distribution
 * registry, from which the OCI registry repository fetches it back, byte for byte.
 */
class SkopeoTest {
  @TempDir Path temp;

  private static String run(Path log, String... command) throws Exception {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }

  @Test
  void skopeoCopiesABundlesArtifactToADirectoryAndARegistry() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/skopeo")),
        "skopeo is not installed (the CI script installs it)");
    assumeTrue(
        DistributionRegistry.available(),
        "docker-registry is not installed (the CI script installs it)");
    Path mirror = Files.createDirectories(temp.resolve("mirror/fraud"));
    Files.writeString(mirror.resolve("model.onnx"), "onnx bytes");
    Lockfile lock =
        Locker.lock(
            DependencySpec.parse(
                ("{\"schemaVersion\": 1, \"artifacts\": [{\"name\": \"fraud\", \"kind\": \"model\","
                        + " \"source\": {\"type\": \"directory\", \"path\": \"fraud\"}}]}")
                    .getBytes(StandardCharsets.UTF_8),
                "spec.json"),
            List.of(new DirectoryMirror(temp.resolve("mirror"))),
            temp.resolve("scratch"));
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    Bundles.create(
        lock,
        key,
        temp.resolve("b.tar"),
        BundleOptions.builder().files(temp.resolve("scratch")).build());
    Path layout = Files.createDirectories(temp.resolve("layout"));
    run(
        temp.resolve("tar.log"),
        "tar",
        "xf",
        temp.resolve("b.tar").toString(),
        "-C",
        layout.toString());

    run(
        temp.resolve("dir.log"),
        "skopeo",
        "copy",
        "oci:" + layout + ":fraud",
        "dir:" + temp.resolve("dir"));

    String manifestHex = DepsFiles.sha256(OciArtifacts.manifest(lock.artifacts().get(0)));
    assertThat(Files.readAllBytes(temp.resolve("dir/manifest.json")))
        .isEqualTo(OciArtifacts.manifest(lock.artifacts().get(0)));
    assertThat(
            Files.readString(
                temp.resolve("dir").resolve(lock.artifacts().get(0).files().get(0).sha256())))
        .isEqualTo("onnx bytes");
    try (DistributionRegistry registry = DistributionRegistry.start(temp.resolve("registry"))) {
      String target = "docker://" + URI.create(registry.url()).getAuthority() + "/models/fraud:v1";
      run(
          temp.resolve("push.log"),
          "skopeo",
          "copy",
          "--dest-tls-verify=false",
          "oci:" + layout + ":fraud",
          target);

      OciRegistry repository = new OciRegistry(URI.create(registry.url()), Duration.ofSeconds(10));
      List<LockedFile> files =
          repository
              .fetch(
                  "fraud",
                  new ArtifactSource(
                      "oci",
                      java.util.Map.of(
                          "repository", "models/fraud", "digest", "sha256:" + manifestHex)),
                  temp.resolve("back"))
              .orElseThrow();

      assertThat(files).isEqualTo(lock.artifacts().get(0).files());
      assertThat(Files.readString(temp.resolve("back/model.onnx"))).isEqualTo("onnx bytes");
    }
  }
}
