package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What would reach out or break offline. */
class PreflightTest {
  @TempDir Path temp;

  @Test
  void proxyCredentialsAreNeverShown() {
    assertThat(Preflight.withoutCredentials("http://svc:Secr3t@proxy.corp:3128"))
        .isEqualTo("http://***@proxy.corp:3128");
    assertThat(Preflight.withoutCredentials("svc:p@ss@proxy.corp:3128/"))
        .isEqualTo("***@proxy.corp:3128/");
    assertThat(Preflight.withoutCredentials("http://svc:pa/ss w@proxy.corp:3128"))
        .isEqualTo("http://***@proxy.corp:3128");
    assertThat(Preflight.withoutCredentials("http://proxy.corp:3128/"))
        .isEqualTo("http://proxy.corp:3128/");
    java.util.List<Preflight.Check> checks =
        Preflight.run(
            java.util.Map.of("HTTPS_PROXY", "http://svc:Secr3t@proxy.corp:3128"),
            new java.util.Properties(),
            null,
            null);
    assertThat(checks.get(0).detail()).doesNotContain("Secr3t").contains("http://***@proxy.corp");
  }

  @Test
  void proxiesAndOnlineHuggingFaceToolsAreWarnedAbout() {
    Properties properties = new Properties();
    properties.setProperty("https.proxyHost", "proxy.corp");

    List<Preflight.Check> checks =
        Preflight.run(
            Map.of("HTTPS_PROXY", "http://proxy.corp:3128", "HF_HUB_OFFLINE", "1"),
            properties,
            null,
            null);

    assertThat(checks)
        .containsExactly(
            new Preflight.Check(
                "proxy settings",
                Preflight.Status.WARN,
                "HTTPS_PROXY=http://proxy.corp:3128, -Dhttps.proxyHost=proxy.corp (the SDK's repositories use no proxy; other tools in this process may)"),
            new Preflight.Check("HF_HUB_OFFLINE", Preflight.Status.OK, "1"),
            new Preflight.Check(
                "TRANSFORMERS_OFFLINE",
                Preflight.Status.WARN,
                "unset: Hugging Face tools on this host may try to download; set it to 1"));
  }

  @Test
  void aStoreThatDoesNotHoldTheLockFails() throws Exception {
    Lockfile lock =
        new Lockfile(
            List.of(
                new LockedArtifact(
                    "fraud",
                    ArtifactKind.MODEL,
                    new ArtifactSource("directory", Map.of("path", "fraud")),
                    List.of(new LockedFile("m.onnx", 1, "a".repeat(64))))));
    lock.write(temp.resolve("airgap.lock.json"));
    Files.writeString(temp.resolve("broken.json"), "{");
    ContentStore.openOrCreate(temp.resolve("store"));

    List<Preflight.Check> checks =
        Preflight.run(
            Map.of(), new Properties(), temp.resolve("airgap.lock.json"), temp.resolve("store"));
    List<Preflight.Check> broken =
        Preflight.run(Map.of(), new Properties(), temp.resolve("broken.json"), null);

    assertThat(checks.subList(3, checks.size()))
        .containsExactly(
            new Preflight.Check(
                "lockfile " + temp.resolve("airgap.lock.json"), Preflight.Status.OK, "1 artifacts"),
            new Preflight.Check(
                "content store " + temp.resolve("store"),
                Preflight.Status.OK,
                "0 artifacts, every blob verified"),
            new Preflight.Check(
                "lock resolves offline",
                Preflight.Status.FAIL,
                "1 artifact(s) not found: fraud: not in content store " + temp.resolve("store")));
    assertThat(broken.get(3).status()).isEqualTo(Preflight.Status.FAIL);
    assertThat(Preflight.run(Map.of(), new Properties(), null, temp.resolve("stroe")))
        .last()
        .isEqualTo(
            new Preflight.Check(
                "content store " + temp.resolve("stroe"),
                Preflight.Status.FAIL,
                "content store " + temp.resolve("stroe") + " does not exist"));
  }
}
