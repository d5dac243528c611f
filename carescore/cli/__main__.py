from carescore.cli import main

main()
