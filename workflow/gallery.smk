# The gallery: a thumbnail per topic, then results/index.html over every topic.
# The workflow's onsuccess/onerror handlers (Snakefile) write the same page
# again, with summary.json, when a run ends: also when some topics failed.
from lessonreel import gallery as gallery_page  # noqa: E402

GALLERY_HASH = gallery_page.code_hash()
THUMBNAIL_HASH = gallery_page.code_hash(gallery_page.THUMBNAIL_SOURCES)


rule thumbnail:
    """The frame at a third of the video, 480 pixels wide: the topic's picture in the gallery."""
    input:
        video=f"{RESULTS}/{{topic}}/video.mp4",
    output:
        thumbnail=report(
            f"{RESULTS}/{{topic}}/thumbnail.png",
            caption="report/thumbnail.rst",
            category="{topic}",
            labels={"file": "thumbnail"},
        ),
    params:
        code=THUMBNAIL_HASH,
    log:
        f"{RESULTS}/{{topic}}/logs/thumbnail.log",
    localrule: True
    script:
        "../scripts/thumbnail.py"


rule gallery:
    """results/index.html: per topic its thumbnail, length, status, sections, layout score and links."""
    input:
        manifests=expand(f"{RESULTS}/{{topic}}/manifest.json", topic=TOPICS),
        thumbnails=expand(f"{RESULTS}/{{topic}}/thumbnail.png", topic=TOPICS),
    output:
        html=report(
            f"{RESULTS}/index.html",
            caption="report/gallery.rst",
            category="Gallery",
            labels={"file": "gallery"},
        ),
    params:
        plan=BUILD.to_json(),
        results=RESULTS,
        code=GALLERY_HASH,
    log:
        f"{RESULTS}/logs/gallery.log",
    localrule: True
    script:
        "../scripts/gallery.py"
