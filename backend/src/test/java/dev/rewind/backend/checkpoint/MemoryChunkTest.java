package dev.rewind.backend.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backend.linux.MemoryMapping;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-back's direct path writes exactly the section the array path writes. */
class MemoryChunkTest {
    @TempDir
    Path dir;

    @Test
    void aSectionWrittenFromADirectBufferIsByteForByteTheEncodedOne() throws Exception {
        MemoryMapping heap = new MemoryMapping(0x7f0000000000L, 0x7f0000800000L, "rw-p", 0, "00:00", 0, "");
        Random random = new Random(7);
        for (int pages : new int[] {1, 3, 64, 2048}) {
            byte[] data = new byte[pages * MemoryChunk.PAGE];
            for (int p = 0; p < pages; p++) {
                if (p % 3 != 1) { // every third page stays zero, so runs start, stop and merge
                    byte[] some = new byte[100];
                    random.nextBytes(some);
                    System.arraycopy(some, 0, data, p * MemoryChunk.PAGE + random.nextInt(MemoryChunk.PAGE - 100), 100);
                }
            }
            if (pages == 64) {
                java.util.Arrays.fill(data, (byte) 0); // all zero: no run at all
            }
            Path viaArray = dir.resolve("array-" + pages);
            Path viaDirect = dir.resolve("direct-" + pages);
            try (FileChannel a = FileChannel.open(viaArray, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileChannel d = FileChannel.open(viaDirect, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                long n1 = ImageFormat.writeSection(a, ImageFormat.MEMORY, MemoryChunk.encode(42, heap, heap.start(), data));
                ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
                long n2 = MemoryChunk.writeDirect(d, 42, heap, heap.start(), direct);
                assertEquals(n1, n2, pages + " pages");
            }
            assertArrayEquals(Files.readAllBytes(viaArray), Files.readAllBytes(viaDirect), pages + " pages");
        }
    }
}
