"""``python -m events`` -- see events.cli."""
import sys

from events.cli import main

sys.exit(main())
