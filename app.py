# Streamlit runs this file as `__main__`. The processes that read uploads and draw pictures
# (multiprocessing, forkserver) run the main script again under another name before they start:
# behind this guard they load nothing of the app (13 MB and no CPU each, against 213 MB and 1.5 s
# when they ran the whole page).
if __name__ == "__main__":
    from sinorus.ui import main

    main()
