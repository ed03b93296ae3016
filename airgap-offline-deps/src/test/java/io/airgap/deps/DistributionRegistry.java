package io.airgap.deps;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's docker-registry (the CNCF distribution registry, which the CI script installs) on
 * 127.0.0.1 and a free port, storing under a temporary directory; with a minimal client that pushes
 * blobs and manifests over the distribution API.
 */
final class DistributionRegistry implements AutoCloseable {
  private final LocalServer server;
  private final HttpClient http =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  private DistributionRegistry(LocalServer server) {
    this.server = server;
  }

  static boolean available() {
    return Files.isExecutable(Path.of("/usr/bin/docker-registry"));
  }

  static DistributionRegistry start(Path dir) throws IOException, InterruptedException {
    int port = LocalServer.freePort();
    Files.createDirectories(dir.resolve("data"));
    Path config =
        Files.writeString(
            dir.resolve("config.yml"),
            "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
                + dir.resolve("data")
                + "\nhttp:\n  addr: 127.0.0.1:"
                + port
                + "\n");
    return new DistributionRegistry(
        LocalServer.start(
            "docker-registry",
            List.of("/usr/bin/docker-registry", "serve", config.toString()),
            dir.resolve("registry.log"),
            port));
  }

  String url() {
    return server.url();
  }

  /** Uploads a blob in one request. */
  void pushBlob(String repository, byte[] content) throws Exception {
    HttpResponse<String> start =
        http.send(
            HttpRequest.newBuilder(URI.create(url() + "v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String location = start.headers().firstValue("Location").orElseThrow();
    URI upload = URI.create(url()).resolve(location);
    String separator = upload.getQuery() == null ? "?" : "&";
    HttpResponse<String> done =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(upload + separator + "digest=sha256:" + DepsFiles.sha256(content)))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (done.statusCode() != 201) {
      throw new IOException("blob upload answered " + done.statusCode() + ": " + done.body());
    }
  }

  /** Puts a manifest under a tag. */
  void pushManifest(String repository, String tag, byte[] manifest) throws Exception {
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create(url() + "v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", OciArtifacts.MANIFEST_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 201) {
      throw new IOException("manifest put answered " + put.statusCode() + ": " + put.body());
    }
  }

  @Override
  public void close() {
    server.close();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
