from sinorus.cli import main

raise SystemExit(main())
