// The Temporal Java time-skipping test server, started with its clock set to a chosen
// instant. The stock `io.temporal.testserver.TestServer` always starts at the host's
// "now"; a test of a deadline across a past public holiday (National Day 2026) needs
// the clock to start before it, and a test server's time only ever moves forward.
//
// Compiled and launched by test/support/case-harness.ts against the pinned test-server jars:
// java -cp '<jars>/*:<classes>' -Drectify.initialTimeMillis=<ms> TestServerAt <port>
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;

public class TestServerAt {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    long initialTimeMillis = Long.parseLong(System.getProperty("rectify.initialTimeMillis"));
    if (initialTimeMillis <= 0) throw new IllegalArgumentException("rectify.initialTimeMillis must be positive");
    // false = time skipping not locked, as `TestServer <port> --enable-time-skipping` does.
    TestServicesStarter services = new TestServicesStarter(false, initialTimeMillis);
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdownNow();
      services.close();
    }));
    server.awaitTermination();
  }
}
