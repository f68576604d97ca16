package dev.inferops.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HttpSmokeClientTest {

  /**
   * Each request comes from a new client port: none rides a kept-alive connection, which through a
   * ClusterIP would still reach the pod it first reached, of the revision before.
   */
  @Test
  void everyRequestOpensItsOwnConnection() throws Exception {
    List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          clientPorts.add(exchange.getRemoteAddress().getPort());
          byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          // The server would keep the connection: only the client can make each one new.
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/models/m");
      HttpSmokeClient client = new HttpSmokeClient();
      Duration timeout = Duration.ofSeconds(5);

      SmokeClient.Response first = client.get(uri, timeout);
      SmokeClient.Response second = client.post(uri, "{}", timeout);
      SmokeClient.Response third = client.get(uri, timeout);

      assertThat(List.of(first, second, third))
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
      assertThat(clientPorts).hasSize(3).doesNotHaveDuplicates();
    } finally {
      server.stop(0);
    }
  }
}
