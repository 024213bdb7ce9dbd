"""The `storydiff spark` command under spark-submit, on a cluster's own master (its --master is
left to spark-submit):

    spark-submit --master yarn "$(python -c 'import storydiff.scale.__main__ as m; print(m.__file__)')" SOURCE... --out DIR

Absolute imports: spark-submit runs this file as a script, not as a module of the package."""

import sys

from storydiff.cli import main

if __name__ == "__main__":
    sys.argv = ["storydiff", "spark", "--master", "", *sys.argv[1:]]
    main()
