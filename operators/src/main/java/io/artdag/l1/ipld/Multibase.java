package io.artdag.l1.ipld;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The two multibase encodings L1 needs: base58btc (Bitcoin alphabet, used bare by CIDv0) and RFC
 * 4648 base32 lower case without padding (multibase prefix 'b', used by CIDv1). The methods here do
 * not add or strip the multibase prefix character.
 */
public final class Multibase {
    private static final String B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final String B32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int[] B58_INDEX = new int[128];
    private static final BigInteger FIFTY_EIGHT = BigInteger.valueOf(58);

    static {
        Arrays.fill(B58_INDEX, -1);
        for (int i = 0; i < B58.length(); i++) {
            B58_INDEX[B58.charAt(i)] = i;
        }
    }

    private Multibase() {}

    public static String encodeBase58Btc(byte[] data) {
        int zeros = 0;
        while (zeros < data.length && data[zeros] == 0) {
            zeros++;
        }
        StringBuilder sb = new StringBuilder();
        BigInteger n = new BigInteger(1, data);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(FIFTY_EIGHT);
            sb.append(B58.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (int i = 0; i < zeros; i++) {
            sb.append('1');
        }
        return sb.reverse().toString();
    }

    public static byte[] decodeBase58Btc(String text) {
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == '1') {
            zeros++;
        }
        BigInteger n = BigInteger.ZERO;
        for (int i = zeros; i < text.length(); i++) {
            char c = text.charAt(i);
            int d = c < 128 ? B58_INDEX[c] : -1;
            if (d < 0) {
                throw new IllegalArgumentException(
                        "invalid base58btc character '" + c + "' at index " + i);
            }
            n = n.multiply(FIFTY_EIGHT).add(BigInteger.valueOf(d));
        }
        byte[] mag = n.signum() == 0 ? new byte[0] : n.toByteArray();
        int skip = (mag.length > 0 && mag[0] == 0) ? 1 : 0; // BigInteger sign byte
        byte[] out = new byte[zeros + mag.length - skip];
        System.arraycopy(mag, skip, out, zeros, mag.length - skip);
        return out;
    }

    public static String encodeBase32Lower(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                sb.append(B32.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(B32.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /** Decodes RFC 4648 base32 (either case, padding optional). */
    public static byte[] decodeBase32(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '=') {
            end--;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(end * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            int d;
            if (c >= 'a' && c <= 'z') {
                d = c - 'a';
            } else if (c >= 'A' && c <= 'Z') {
                d = c - 'A';
            } else if (c >= '2' && c <= '7') {
                d = c - '2' + 26;
            } else {
                throw new IllegalArgumentException(
                        "invalid base32 character '" + c + "' at index " + i);
            }
            buffer = (buffer << 5) | d;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xFF);
                bits -= 8;
            }
        }
        if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
            throw new IllegalArgumentException("invalid base32 length or trailing bits");
        }
        return out.toByteArray();
    }
}
