from sinorus.ui import main

main()
