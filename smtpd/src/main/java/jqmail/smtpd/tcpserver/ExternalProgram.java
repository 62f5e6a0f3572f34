package jqmail.smtpd.tcpserver;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import jqmail.common.ChannelStreams;

/**
 * ucspi-tcp's way for any program: the connection becomes the program's
 * stdin and stdout, tcpserver's variables its environment. The JDK cannot
 * hand a socket to a child as a descriptor, so two threads copy between the
 * socket and the child's pipes until either side ends.
 */
final class ExternalProgram {
    private ExternalProgram() {
    }

    static void run(List<String> command, Map<String, String> env, Socket s) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> childEnv = pb.environment();
        childEnv.remove("TCPREMOTEHOST");
        childEnv.remove("TCPREMOTEINFO");
        childEnv.remove("TCPLOCALHOST");
        childEnv.putAll(env);
        Process p = pb.start();
        Thread toChild = new Thread(() -> {
            try {
                ChannelStreams.pump(s.getInputStream(), p.getOutputStream());
            } catch (IOException e) {
                // Connection gone.
            }
            try {
                p.getOutputStream().close();
            } catch (IOException e) {
                // Child gone.
            }
        }, "to-child");
        toChild.setDaemon(true);
        toChild.start();
        ChannelStreams.pump(p.getInputStream(), s.getOutputStream());
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        s.shutdownOutput();
    }
}
