import { inflateRawSync } from 'node:zlib';

/**
 * The frozen dictionaries of status-dictionary.ts (codec 1, then codec 2), deflated together,
 * as the functions carry them: 16 KB of text is 3 KB this way, in every bundle that reads or
 * writes a status (the bundle budget, bench/budget.ts). status-dictionary.ts stays the
 * readable source; test/unit/status-dictionary-pack.unit.spec.ts checks that these bytes
 * inflate to it exactly and prints the new pack if a dictionary is ever added.
 */
const packed =
  '7Vvdj+O2Ef9XBD7rDO82LVLnKUWQ9J4apIc+dGEYtDSyJkuRKknt3mLh/O3F8EOiZHv9cbu4u5yD4GBS5HC+Z/gjNuNFoXSJcpNZldkaMsvFvckzVVVYIBcmMxzLHzKeGZCodP8hMy3we9rIpZJPjeqMeMqztUaooMyUdNQkbJRFblFJM8s+1JAVwA1UqCHjGw3QgLQZl6VbrUHQ10xVWa2M5Rsw7lur0SgJ2uRuWaU04EZmDUo0FrSfbTUYLEHaOMQGkiU8M626B9OCNkoSDbdsox5Ay8Zta6BEblU8pgQuwoGojc3amhvIs7pruETLNXKZcSz9Equ7AvKsBdUKyO5RCCjzKFCZoczgY1FzuQHWalglemE563XCclZp3sCj0verlmuLXIzmCtW0GmqQBh9oNTatcDqMpDRIeHSbCr5GCZblbJCR5azlWiAfBvZpJYCXoE2NLctZDbxcqWplLLd0grI1aJYz3rZaPUDpzvgdCut+FkqWSEe7I9ca+L2tteo2NcuZwY3ECgsu7arVaqPBGJpWDaRjqVZBMzkrkdyrExbBLQW75sU9HR+dJf1NTGrrOHJ6ZjlrnMQNGuP4g48WZOl+PqKtS80fpZtuUQcBSINeGAu6QcmjZELw1lMxHXkNeDouQGaqBemGzkoFtlza2e8Kdye1EhAEdJ+C4DNuDAQuna5JoBka002mpJKwkspzVQIvBUqYGSdnP9RglPDWaQAsys2sBhHOa5XhYmb5WrgFvfpmGnhRT+a8nblYlVBgOfno9L3iUqpOFpNvVqn7FVQVFCMbzRITDJPrfUebzrS7S+OM17uxXIh0nOzxMxpM1yTj1JBxRhaiK4ODeNPMCq41QrlSHbFf4abTpNZWaRucnn7OCqV1dP4wpcFqHqZM19KcD07VWmzQWCzIy6GzOgRmZ1F15N8tGDMsUW2rPJ9k86gEGqNcVUoXEGIsaC6VvdebaVHHZGC53jg/oYBquO0aWlEE9gZVpgoJidd5js+6zs8sRwnghG44SuP3T5zB87YisuTsz17f70u2YCxnD6AN8bW48Vnmn9zU/kvXlhR1P1q2YLfz27++m9+8m998mM8X7v/ZfD7/L4mDVoDf4cPv2AaXsdliENlN/BtlASds/E/Cb5qvF8+7hM1xmoP425w1iny7a4iY4GsQXixTKA3uwDU3aNwvJX8DqtFu0NdaN3pEWapHolFp1RxRnnrp+zZn/IgyHwE3tfXs+9xFIhi2uHsemfYYnWEvW0zz/fopmLeX2eoOtktfS7ig05aj9OrPl7wJjkHZNujyLJMsh2S6K1LZHSFUdvCrhgL9Djr9HiW5fR+BBuw/gnC8bQWC+UAGYXRwq4yrof5gV5N3I+aYWo3qKEEsUmUk3lJxYYCoWI3rzgY+tz2jRIEaOtBjEoM+eVWhiCHgthrLvYpHic50TcP1UxTOZ9JdnTZgNRYh/iVa/+t/HRdYIXHh/EDjhiqyCuO2Wws0dfwc0/OxPJBE2AMXnY8wbv5VvRgSy6F4Br8bmpDFs6/QbOFz9Tb5GBbHymJocaE62nXTtyolWzxvyeF/TGi6iV+06lo/QAtNpEZtmzfOJbS2274xmPAjuHHinONrg89MIpExUprgzisYHUrkf4IHEKqNiktPsk8tLT3Q7Rzj41T7py6Ze9mdFuDBm4tCfODRT4RC78PS6dpV+TAm7+/W1AZ7PVRKN45btr1WvQurnuyEOLPw0ZbPXI7OO83vmxb7XfqvX+GGqP1stc43mqApgvZc4vqZ9+WfpjKO7gPfWmWMdxLckwr91eYYeyh/pmvPCbmr6LQGaX8NKSrc5r1yK96gILWnOIuFj7Z3M9o1jbOy8/eon/iTTzoT87lQtkqj27mcdgDPvdhTdbzGaUQV2gvyj4WWgm8Ac2J0sCTfUf2NB0c84PyzknBdq5J+jYAo1dlCOfHP4MaBCabPCGexM7hGekoZFb7udT1YxV+Fx45zvhef4Yn9bTomUOc8J/i/W5fWbpdVzesFmPPeY+RAEpRMOaCm8pzgbBq4ifUiaHp7UpPcAxI030MSrp0YN7zMQbDvbue3f3l3c/PyTtVZworHi7ajlnn48MzeG81BoCP0oeb+x88osEWp3OC3zhjk8t2wcpue+cweqfXx6R2l0iacFzv8sSvHzHG8/41qunuO5WrAb3bVGZ0qjmNZ3niZQ6ZJgoPQUXdp2GHx1Y/ujZLYtO+2EpbGhW+73OkbkkjffkMXpx45/iovTdn1Her6DnV9h7q+Q13foa7vUJ/lHWp+BeTeCpBjfxQsv+tPdi3KCHhzV4KE/jK/Y3+ULL/J5+6nZfn3f/tuTv/lt/P5938P85rIjlL1Mp+n3/oxdZI5/bMcgXf7OQsgXdTDpYwlzPRbRnxMe0DPjLt9BngpWjRPWHQ95N5TpuND3CUCpFsmsOCObggZnMB/gZsI+aV4XwL2jVv0S3XoxiGTHJZ573haqPcvn+CNQX6PYuQ7PuKvJIMCAkTYY39DA/2yRxxSwJlo5XnL97B0IrR52rKBflKIDmp9AEJ3fC5goQEITVHQ0U0wxT9HN5yIcEZ4M4CbL4XBa4zPzgv7t3xVOGuwXYC4Aqw1SD3cLQ5HXwRGx5lwBI2eHlYT4kfg2nAk9j3vANSO90bkNUVGR7hkHvmO/UuSOaIxotbGgN8I7ZtAegmgNzHXAM31+NthH/WuEiffQtFvQJM4XeZ3y4TjaTYmWDtJyq6dcLjxWdWmv1teFvmD8F8me4f1F4ucw+kHaP7TWZ6ykkAA0xr9Rrr/E4j2gt1qjzb0spQ+zNZPnybLOYH+5bB0ePO+4nOUkU+vaJ9M4dK2/tCS8+ZPesXJT1q1vL719G89O3GDZQyeXhdJ/AxvMON7VAy1Y73sy84dri/eHKPnmtFbTXyoGU6IKjsalqdn7i+Alz0rdu21z0rJZWTMwIXC7XkOewN5x4DE18PqRe3A1WxfvtlOMOxX86Kbf+uPulfc/Zv484/L4f39/clyF9R34X+3i99fCKJHgv6f/Rx4Bl8XEz9BcLemR7l7Nt8Smz6BrfPRZXYypEyrkxfKXt7PiAqP/eMkdzmqxOtfk1z/muSCGvp/';
/** Bytes of dictionary 1, then of dictionary 2, in the inflated text. */
export const packedDictionaryLengths = [6792, 9497] as const;

let dictionaries: readonly [Buffer, Buffer] | undefined;

/** The two dictionaries' bytes, inflated on first use (a status read or write), then kept. */
export function statusDictionaries(): readonly [dictionary1: Buffer, dictionary2: Buffer] {
  if (dictionaries === undefined) {
    const text = inflateRawSync(Buffer.from(packed, 'base64'));
    const [length1, length2] = packedDictionaryLengths;
    if (text.length !== length1 + length2)
      throw new Error(`packed status dictionaries inflate to ${text.length} bytes, not ${length1 + length2}`);
    dictionaries = [text.subarray(0, length1), text.subarray(length1)];
  }
  return dictionaries;
}
