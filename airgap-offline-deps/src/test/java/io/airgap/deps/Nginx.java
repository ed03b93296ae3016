package io.airgap.deps;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * nginx (Debian's package, which the CI script installs) serving a directory on 127.0.0.1 and a
 * free port, as an intranet Maven mirror would; one process, no privilege drop, everything under a
 * temporary prefix.
 */
final class Nginx implements AutoCloseable {
  private final Process process;
  private final int port;

  private Nginx(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Whether nginx is installed. */
  static boolean available() {
    return Files.isExecutable(Path.of("/usr/sbin/nginx"));
  }

  /** Starts nginx serving {@code root}; {@code prefix} holds its configuration and logs. */
  static Nginx serve(Path root, Path prefix) throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
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
    Process process =
        new ProcessBuilder("/usr/sbin/nginx", "-p", prefix.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(prefix.resolve("stdout.log").toFile())
            .start();
    for (int i = 0; i < 100; i++) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return new Nginx(process, port);
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IOException("nginx stopped: " + Files.readString(prefix.resolve("stdout.log")));
        }
        Thread.sleep(50);
      }
    }
    process.destroyForcibly();
    throw new IOException("nginx did not listen on port " + port);
  }

  /** The base URL, for example {@code http://127.0.0.1:41234/}. */
  String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
