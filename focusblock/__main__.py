from focusblock.cli import main

main()
