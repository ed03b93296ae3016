package io.airgap.deps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx (Debian's package, which the CI script installs) serving a directory on 127.0.0.1 and a
 * free port, as an intranet Maven mirror would; one process, no privilege drop, everything under a
 * temporary prefix.
 */
final class Nginx implements AutoCloseable {
  private final LocalServer server;

  private Nginx(LocalServer server) {
    this.server = server;
  }

  /** Whether nginx is installed. */
  static boolean available() {
    return Files.isExecutable(Path.of("/usr/sbin/nginx"));
  }

  /** Starts nginx serving {@code root}; {@code prefix} holds its configuration and logs. */
  static Nginx serve(Path root, Path prefix) throws IOException, InterruptedException {
    int port = LocalServer.freePort();
    Files.createDirectories(prefix);
    String config =
        "daemon off; master_process off; pid "
            + prefix.resolve("nginx.pid")
            + ";\n"
            + "error_log "
            + prefix.resolve("error.log")
            + ";\n"
            + "events {}\n"
            + "http {\n"
            + "  access_log off;\n"
            + "  client_body_temp_path "
            + prefix.resolve("body")
            + ";\n"
            + "  proxy_temp_path "
            + prefix.resolve("proxy")
            + ";\n"
            + "  fastcgi_temp_path "
            + prefix.resolve("fastcgi")
            + ";\n"
            + "  uwsgi_temp_path "
            + prefix.resolve("uwsgi")
            + ";\n"
            + "  scgi_temp_path "
            + prefix.resolve("scgi")
            + ";\n"
            + "  server { listen 127.0.0.1:"
            + port
            + "; root "
            + root
            + "; }\n"
            + "}\n";
    Path conf = Files.writeString(prefix.resolve("nginx.conf"), config);
    return new Nginx(
        LocalServer.start(
            "nginx",
            List.of("/usr/sbin/nginx", "-p", prefix.toString(), "-c", conf.toString()),
            prefix.resolve("stdout.log"),
            port));
  }

  /** The base URL, for example {@code http://127.0.0.1:41234/}. */
  String url() {
    return server.url();
  }

  @Override
  public void close() {
    server.close();
  }
}
