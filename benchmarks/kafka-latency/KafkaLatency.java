// Event-to-index latency of the Kafka input (not part of the build; run by
// benchmarks/kafka-latency.sh with the local distribution's class path):
// writes files of random size, announces each with one output event at a steady rate, and
// records, per output, the time from sending the event to Redis ipfs_index naming its CID.
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.RedisClient;

public class KafkaLatency {
    public static void main(String[] a) throws Exception {
        if (a[0].equals("create-topic")) {
            Properties admin = new Properties();
            admin.put("bootstrap.servers", a[1]);
            try (org.apache.kafka.clients.admin.Admin ad =
                    org.apache.kafka.clients.admin.Admin.create(admin)) {
                ad.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(a[2], 2, (short) 1)))
                        .all()
                        .get();
            }
            return;
        }
        String bootstrap = a[0], topic = a[1], redisUrl = a[2], key = a[3];
        Path root = Path.of(a[4]);
        int n = Integer.parseInt(a[5]);
        double rate = Double.parseDouble(a[6]);
        int minSize = 64 << 10, maxSize = 4 << 20;
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        Map<String, Long> sent = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Random rnd = new Random(42);
        Thread poller =
                new Thread(
                        () -> {
                            try (RedisClient r = RedisClient.create(redisUrl)) {
                                while (!Thread.currentThread().isInterrupted()) {
                                    for (String h : List.copyOf(sent.keySet())) {
                                        if (r.hget(key, h) != null) {
                                            Long t0 = sent.remove(h);
                                            if (t0 != null) {
                                                latencies.add(System.nanoTime() - t0);
                                            }
                                        }
                                    }
                                    Thread.sleep(5);
                                }
                            } catch (InterruptedException e) {
                                // done
                            }
                        });
        poller.start();
        long start = System.nanoTime();
        long periodNanos = (long) (1e9 / rate);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                long due = start + i * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                byte[] b = new byte[minSize + rnd.nextInt(maxSize - minSize)];
                rnd.nextBytes(b);
                Path f = root.resolve("out-" + i + ".bin");
                Files.write(f, b);
                String hash =
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA3-256").digest(b));
                String event =
                        "{\"node_id\":\"lat-" + i + "\",\"uri\":\"" + f.toUri() + "\"}";
                sent.put(hash, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, "lat-" + i, event));
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!sent.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        poller.interrupt();
        poller.join();
        List<Long> l = new ArrayList<>(latencies);
        Collections.sort(l);
        if (l.isEmpty()) {
            System.out.println("no output was indexed");
            System.exit(1);
        }
        System.out.printf(
                "outputs %d of %d, rate %.1f/s: p50 %.0f ms, p99 %.0f ms, max %.0f ms%s%n",
                l.size(),
                n,
                rate,
                l.get(l.size() / 2) / 1e6,
                l.get(Math.min(l.size() - 1, (int) Math.ceil(l.size() * 0.99) - 1)) / 1e6,
                l.get(l.size() - 1) / 1e6,
                sent.isEmpty() ? "" : " (" + sent.size() + " never indexed within 120 s)");
    }
}
