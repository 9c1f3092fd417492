//! `kronika render DATA [view flags] --size 1600x1000 [--scale 2] --out map.png`: the app's own
//! picture of a view — map, markers, legend, timeline with its cursor and date, the map's
//! credits — drawn headless on wgpu. With `--until DATE --frames N` it plays from the view's date
//! to `DATE` and writes every frame (`map-0001.png` …) or, for a `.gif`, an animated GIF.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use egui_kittest::Harness;

use crate::app::{KronikaApp, ViewState};
use crate::io::{LoadOptions, load_with};
use crate::model::date::day_number;
use crate::model::text::for_terminal;
use crate::model::view_link::ViewLink;
use crate::ui::Command;

/// Most frames an animation may have.
pub const MAX_FRAMES: usize = 600;

/// What to draw.
#[derive(Debug)]
pub struct RenderRequest<'a> {
    /// The data to show.
    pub data: &'a Path,
    /// How to read files from other tools.
    pub options: &'a LoadOptions,
    /// The view to show (the dataset's home when it says nothing).
    pub view: ViewLink,
    /// Size of the picture in pixels.
    pub size: [u32; 2],
    /// Pixels per point: 2 draws everything twice as sharp at the same layout.
    pub scale: f32,
    /// Play from the view's date to this one.
    pub until: Option<NaiveDate>,
    /// Frames of the animation.
    pub frames: usize,
    /// Render this story's steps (its id) to an HTML page with a picture per step.
    pub story: Option<&'a str>,
    /// The file to write.
    pub out: &'a Path,
}

/// Renders; exit 0 written, 1 when drawing or writing failed.
pub fn run(request: &RenderRequest<'_>) -> ExitCode {
    match render(request) {
        Ok(written) => {
            println!("wrote {written}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("kronika render: {}", for_terminal(&message));
            ExitCode::from(1)
        }
    }
}

/// The picture of `request`'s view (its first frame when playing).
///
/// # Errors
/// No events, or no way to draw (no Vulkan or GL driver).
pub fn render_image(request: &RenderRequest<'_>) -> Result<image::RgbaImage, String> {
    let mut harness = harness_at_view(request)?;
    harness.render()
}

fn harness_at_view(request: &RenderRequest<'_>) -> Result<Harness<'static, KronikaApp>, String> {
    let report = load_with(request.data, request.options);
    if report.dataset.events.is_empty() {
        return Err(format!("{} has no events to draw", request.data.display()));
    }
    let mut app = KronikaApp::from_report(report, ViewState::default());
    app.apply(Command::SetProblemsOpen(false));
    let [width, height] = request.size;
    #[expect(clippy::cast_precision_loss, reason = "picture sizes")]
    let points = egui::vec2(width as f32 / request.scale, height as f32 / request.scale);
    let mut harness = Harness::builder()
        .with_size(points)
        .with_pixels_per_point(request.scale)
        .with_max_steps(400)
        .wgpu()
        .build_ui_state(|ui, app: &mut KronikaApp| app.frame_ui(ui), app);
    harness.ctx.set_fonts(crate::ui::style::fonts());
    harness.run();
    // The view once the map has its size (a fit on load uses it).
    harness.state_mut().apply(Command::ApplyView(Box::new(request.view.clone())));
    harness.run();
    Ok(harness)
}

fn render(request: &RenderRequest<'_>) -> Result<String, String> {
    let mut harness = harness_at_view(request)?;
    if let Some(story) = request.story {
        return render_story(&mut harness, story, request.out);
    }
    let Some(until) = request.until else {
        let image = harness.render()?;
        save_png(&image, request.out)?;
        return Ok(request.out.display().to_string());
    };
    let frames = request.frames.clamp(2, MAX_FRAMES);
    let from = harness.state().view().timeline.cursor_day.floor();
    let to = f64::from(day_number(until)) + 0.5;
    let gif = request.out.extension().is_some_and(|e| e.eq_ignore_ascii_case("gif"));
    let mut images = Vec::with_capacity(if gif { frames } else { 0 });
    let mut written = Vec::new();
    for frame in 0..frames {
        #[expect(clippy::cast_precision_loss, reason = "frame counts")]
        let day = from + (to - from) * frame as f64 / (frames - 1) as f64;
        harness.state_mut().apply(Command::SetCursor(day));
        harness.run();
        let image = harness.render()?;
        if gif {
            images.push(image);
        } else {
            let path = numbered(request.out, frame + 1);
            save_png(&image, &path)?;
            written.push(path);
        }
    }
    if gif {
        save_gif(images, request.out)?;
        return Ok(format!("{frames} frames to {}", request.out.display()));
    }
    Ok(format!("{} frames, {} … {}", written.len(), display_first(&written), display_last(&written)))
}

fn display_first(paths: &[PathBuf]) -> String {
    paths.first().map(|p| p.display().to_string()).unwrap_or_default()
}

fn display_last(paths: &[PathBuf]) -> String {
    paths.last().map(|p| p.display().to_string()).unwrap_or_default()
}

/// `map.png` → `map-0007.png`.
fn numbered(path: &Path, frame: usize) -> PathBuf {
    let stem = path.file_stem().map_or_else(|| "frame".into(), |s| s.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}-{frame:04}.png"))
}

fn save_png(image: &image::RgbaImage, path: &Path) -> Result<(), String> {
    crate::io::write_atomically_with(path, |out| {
        let mut buffer = std::io::Cursor::new(Vec::new());
        image.write_to(&mut buffer, image::ImageFormat::Png).map_err(std::io::Error::other)?;
        out.write_all(buffer.get_ref())
    })
    .map_err(|error| format!("cannot write {}: {error}", path.display()))
}

fn save_gif(images: Vec<image::RgbaImage>, path: &Path) -> Result<(), String> {
    crate::io::write_atomically_with(path, |out| {
        let mut encoder = image::codecs::gif::GifEncoder::new_with_speed(out, 10);
        encoder.set_repeat(image::codecs::gif::Repeat::Infinite).map_err(std::io::Error::other)?;
        let delay = image::Delay::from_numer_denom_ms(120, 1);
        encoder
            .encode_frames(images.into_iter().map(|image| image::Frame::from_parts(image, 0, 0, delay)))
            .map_err(std::io::Error::other)
    })
    .map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// Each step of a story as a picture, and a page that shows them with their captions: one
/// self-contained folder that opens in any browser.
fn render_story(harness: &mut Harness<'static, KronikaApp>, story_id: &str, out: &Path) -> Result<String, String> {
    let stories = &harness.state().dataset().stories;
    let Some(number) = stories.iter().position(|story| story.id == story_id) else {
        let known: Vec<&str> = stories.iter().map(|story| story.id.as_str()).collect();
        return Err(format!("no story {story_id:?}; the stories are: {}", known.join(", ")));
    };
    let story = stories.get(number).cloned().ok_or("no such story")?;
    harness.state_mut().apply(Command::OpenStory(Some(number)));
    harness.state_mut().apply(Command::SetStoryWindowOpen(false));
    let mut page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.5}}img{{width:100%;border:1px solid #ccc}}figure{{margin:2em 0}}.step{{color:#666}}</style></head><body>\n<h1>{}</h1>\n<p>{}</p>\n",
        html(&story.title),
        html(&story.title),
        html(&story.description)
    );
    for (step_number, step) in story.steps.iter().enumerate() {
        harness.state_mut().apply(Command::GoToStep(step_number));
        harness.run();
        let image = harness.render()?;
        let picture = numbered(out, step_number + 1);
        save_png(&image, &picture)?;
        let name = picture.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        page.push_str(&format!(
            "<figure><p class=\"step\">Step {} of {}</p><h2>{}</h2><img src=\"{}\" alt=\"{}\">\n",
            step_number + 1,
            story.steps.len(),
            html(&step.title),
            html(&name),
            html(&step.title)
        ));
        for paragraph in crate::model::story::caption_paragraphs(&step.caption) {
            page.push_str("<p>");
            for part in paragraph {
                match part {
                    crate::model::story::CaptionPart::Text(text) => page.push_str(&html(text)),
                    crate::model::story::CaptionPart::Emphasis(text) => {
                        page.push_str(&format!("<em>{}</em>", html(text)));
                    }
                    crate::model::story::CaptionPart::EventLink { words, event_id } => {
                        page.push_str(&format!("<span title=\"{}\">{}</span>", html(event_id), html(words)));
                    }
                }
            }
            page.push_str("</p>\n");
        }
        page.push_str("</figure>\n");
    }
    page.push_str("<p><small>Drawn by Kronika from the dataset's sources. Map: Natural Earth (public domain).</small></p>\n</body></html>\n");
    let html_path = out.with_extension("html");
    crate::io::write_atomically(&html_path, page.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", html_path.display()))?;
    Ok(format!("{} with {} pictures", html_path.display(), story.steps.len()))
}

/// Escapes text for HTML.
fn html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
