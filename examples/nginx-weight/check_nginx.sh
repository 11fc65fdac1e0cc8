#!/bin/sh
# Health check for nginx: succeed (exit 0) only if nginx answers HTTP on this host.
# It only checks: it never restarts nginx and never stops the VRRP daemon. Restarting is the
# service manager's job (systemd Restart=on-failure); a check that also restarts would hide a
# crash loop from VRRP and could run longer than its interval.
exec curl -fsS -o /dev/null --max-time 1 http://127.0.0.1/
