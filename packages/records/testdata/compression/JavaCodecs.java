// Writes and reads records sections the way the Kafka Java client's codecs do, with the same libraries
// (snappy-java, zstd-jni), to produce and check the library-generated fixtures beside this file. Run by
// hand, never in CI (see README.md):
//   java -cp /usr/share/java/snappy-java.jar:/usr/share/java/zstd-jni.jar JavaCodecs.java write PLAIN DIR
//   java -cp ... JavaCodecs.java read snappy|zstd BLOB PLAIN     exits 0 when BLOB inflates to PLAIN
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

public class JavaCodecs {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("write")) {
      byte[] plain = Files.readAllBytes(Path.of(args[1]));
      Path dir = Path.of(args[2]);
      // Kafka's SnappyFactory: new SnappyOutputStream(out), default 32 KiB blocks.
      Files.write(dir.resolve("java-snappy-xerial.bin"), write(new ByteArrayOutputStream(), plain, "snappy"));
      // Kafka's ZstdFactory: a 16 KiB BufferedOutputStream over zstd-jni's streaming ZstdOutputStream.
      Files.write(dir.resolve("java-zstd-stream.bin"), write(new ByteArrayOutputStream(), plain, "zstd"));
      return;
    }
    byte[] blob = Files.readAllBytes(Path.of(args[2]));
    byte[] plain = Files.readAllBytes(Path.of(args[3]));
    InputStream in = args[1].equals("snappy")
        ? new SnappyInputStream(new ByteArrayInputStream(blob))
        : new ZstdInputStream(new ByteArrayInputStream(blob));
    byte[] out = in.readAllBytes();
    System.out.println(args[1] + ": " + blob.length + " -> " + out.length + " bytes, equal " + Arrays.equals(out, plain));
    System.exit(Arrays.equals(out, plain) ? 0 : 1);
  }

  static byte[] write(ByteArrayOutputStream sink, byte[] plain, String codec) throws Exception {
    OutputStream out = codec.equals("snappy")
        ? new SnappyOutputStream(sink)
        : new BufferedOutputStream(new ZstdOutputStream(sink, 3), 16 * 1024);
    // Kafka writes record by record; 100-byte writes exercise the buffering, as a producer's would.
    for (int pos = 0; pos < plain.length; pos += 100) out.write(plain, pos, Math.min(100, plain.length - pos));
    out.close();
    return sink.toByteArray();
  }
}
