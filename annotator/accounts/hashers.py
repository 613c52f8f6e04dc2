"""How passwords are stored: Argon2id with OWASP's minimum parameters.

Django's default (PBKDF2-SHA256, 1,000,000 iterations) spent about 0.5 s of one
core per login on this 2-core host: most of a login's time, and a queue behind
it for everyone else. Argon2id is memory-hard (an attacker's GPU cannot run
thousands of guesses side by side), so the OWASP Password Storage Cheat Sheet
accepts far less time for equal strength: m = 19 MiB, t = 2, p = 1, its
recommended minimum, about 40 ms here (docs/performance.md has the figures).
Django's own Argon2 defaults (100 MiB, p = 8) cost about as much as PBKDF2 on
two cores and gain nothing on a host this size.

Existing hashes keep working: the PBKDF2 hashers stay listed after this one, so
a stored PBKDF2 password still verifies, and Django re-hashes it with Argon2id
at that login (``check_password`` upgrades any hash not made by the first
hasher, or made by it with other parameters).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class AssayArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m = 19 MiB, t = 2, p = 1 (OWASP's recommended minimum). Keeps Django's
    algorithm name "argon2", so changing these parameters upgrades hashes at login."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
