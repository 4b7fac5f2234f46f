from cbmg.cli import main

raise SystemExit(main())
