//! One streaming pass over a KML document with quick-xml: every `Placemark` under any nesting of
//! `Document` and `Folder` becomes a [`RawRecord`], with the time and folder it inherits. Holds
//! nothing but the open elements and the placemark being read, and never expands an entity a
//! document declares (an "XML bomb" stays a few bytes). Nesting, placemarks and coordinates are
//! capped; past a cap, a located problem and that part is left out.

use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::kml_geometry::{Boundary, Shape};
use super::kml_placemark::{Container, Draft, Field, Time, non_empty};
use super::kml_text::{one_line, xml_reference};
use crate::io::problem::{Location, Problem, ProblemKind};
use crate::io::records::RawRecord;
use crate::io::text::count_newlines;

/// Deepest nesting of elements read; deeper parts are skipped.
pub(super) const MAX_DEPTH: usize = 256;
/// Most placemarks read from one document.
pub(super) const MAX_PLACEMARKS: usize = 5_000_000;

/// An open element, as far as this reader cares; anything it does not read is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Document,
    Folder,
    Placemark,
    TimeStamp,
    TimeSpan,
    ExtendedData,
    Data,
    SchemaData,
    Geometry(Shape),
    Boundary,
    /// An element whose text is read.
    Field(Field),
    Other,
}

/// The state of the pass.
struct Pass<'a> {
    file: &'a Path,
    text: &'a str,
    lines: LineCounter<'a>,
    /// Byte offset where the current event starts.
    at: usize,
    stack: Vec<Tag>,
    containers: Vec<Container>,
    draft: Option<Draft>,
    /// The text of the element being read, when one is.
    field_text: Option<String>,
    /// Byte offset where that element starts.
    field_start: usize,
    /// Levels of a part being skipped (too deep, or not read); 0 when reading.
    skip_depth: usize,
    root_seen: bool,
    placemarks: usize,
    records: Vec<RawRecord<'static>>,
    problems: Vec<Problem>,
}

/// Reads the placemarks of `text` (the content of `file`) into records, with the problems met.
///
/// # Errors
/// The one problem that makes the whole document unreadable: not XML, cut short, or not KML.
pub(super) fn read_placemarks(
    file: &Path,
    text: &str,
) -> Result<(Vec<RawRecord<'static>>, Vec<Problem>), Box<Problem>> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    // A lone `&` (`AT&T`) is common in hand-written files and harms nothing: it is read as text.
    config.allow_dangling_amp = true;
    let mut pass = Pass {
        file,
        text,
        lines: LineCounter { text: text.as_bytes(), offset: 0, line: 1 },
        field_start: 0,
        at: 0,
        stack: Vec::new(),
        containers: Vec::new(),
        draft: None,
        field_text: None,
        skip_depth: 0,
        root_seen: false,
        placemarks: 0,
        records: Vec::new(),
        problems: Vec::new(),
    };
    loop {
        pass.at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                if !pass.root_seen {
                    return Err(pass.document_problem(at, &format!("it is not well-formed XML: {error}")));
                }
                // What was read before the break still loads.
                let read = pass.records.len();
                let message =
                    format!("it is not well-formed XML here: {error}; the {read} placemark(s) before it were read");
                let problem = pass.document_problem(at, &message);
                pass.problems.push(*problem);
                break;
            }
        };
        match event {
            Event::Start(start) => {
                if pass.start(&start)? {
                    break;
                }
            }
            Event::End(end) => pass.end(end.local_name().into_inner()),
            Event::Text(text) => pass.push_text(&text.xml10_content()),
            Event::CData(data) => pass.push_text(&data.xml10_content()),
            Event::GeneralRef(reference) => match xml_reference(&reference) {
                Some(c) => pass.push_text(c.encode_utf8(&mut [0; 4])),
                // Not expanded, whatever a document type declares: kept as written.
                None => pass.push_text(&format!("&{};", &*reference)),
            },
            Event::DocType(doctype) if doctype.contains("<!ENTITY") => pass.warn(
                None,
                "the document type declares entities; Kronika does not expand them, so each `&name;` stays as written",
            ),
            Event::Eof => {
                if !pass.root_seen {
                    return Err(pass.document_problem(pass.at, "it is not KML: it holds no XML element"));
                }
                if !pass.stack.is_empty() || pass.skip_depth > 0 {
                    let read = pass.records.len();
                    let message = format!(
                        "it is cut short: the file ends before its elements are closed; the {read} placemark(s) before the cut were read"
                    );
                    let problem = pass.document_problem(pass.at, &message);
                    pass.problems.push(*problem);
                }
                break;
            }
            Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    Ok((pass.records, pass.problems))
}

impl Pass<'_> {
    /// An element starts; `true` when reading stops here (too many placemarks).
    fn start(&mut self, start: &BytesStart<'_>) -> Result<bool, Box<Problem>> {
        if self.skip_depth > 0 {
            self.skip_depth += 1;
            return Ok(false);
        }
        let local = start.local_name().into_inner();
        if !self.root_seen {
            self.root_seen = true;
            if local != "kml" {
                let message = format!("it is not KML: its root element is <{}>, not <kml>", clip(local));
                return Err(self.document_problem(self.at, &message));
            }
        }
        if self.stack.len() >= MAX_DEPTH {
            self.skip_depth = 1;
            let message = format!("elements nest deeper than {MAX_DEPTH} levels here; this part was skipped");
            let at = self.located(None, self.at);
            self.problems.push(Problem::error(at, ProblemKind::WrongShape(message)));
            return Ok(false);
        }
        let in_description = self.in_description();
        if let Some(text) = &mut self.field_text {
            // Markup inside a description is HTML written without CDATA: kept for the HTML reader.
            if in_description {
                text.push('<');
                text.push_str(local);
                text.push('>');
            }
            self.stack.push(Tag::Other);
            return Ok(false);
        }
        let parent = self.stack.last().copied();
        let in_feature = matches!(parent, Some(Tag::Placemark | Tag::Folder | Tag::Document));
        let in_placemark = self.draft.is_some();
        let tag = match local {
            "Document" | "Folder" if !in_placemark => {
                self.containers.push(Container { is_folder: local == "Folder", name: None, time: None });
                if local == "Folder" { Tag::Folder } else { Tag::Document }
            }
            "Placemark" if !in_placemark => {
                if self.placemarks >= MAX_PLACEMARKS {
                    let at = self.located(None, self.at);
                    let message = format!("the file has more than {MAX_PLACEMARKS} placemarks; the rest were not read");
                    self.problems.push(Problem::error(at, ProblemKind::WrongShape(message)));
                    return Ok(true);
                }
                let line = self.lines.line_of(self.at);
                self.draft = Some(Draft::new(self.placemarks, line, attribute(start, "id")));
                self.placemarks += 1;
                Tag::Placemark
            }
            "name" if in_feature => Tag::Field(Field::Name),
            "description" if parent == Some(Tag::Placemark) => Tag::Field(Field::Description),
            "address" if parent == Some(Tag::Placemark) => Tag::Field(Field::Address),
            "TimeStamp" | "TimeSpan" if in_feature => {
                if let Some(time) = self.feature_time() {
                    *time = Some(Time::default());
                }
                if local == "TimeStamp" { Tag::TimeStamp } else { Tag::TimeSpan }
            }
            "when" if parent == Some(Tag::TimeStamp) => Tag::Field(Field::When),
            "begin" if parent == Some(Tag::TimeSpan) => Tag::Field(Field::Begin),
            "end" if parent == Some(Tag::TimeSpan) => Tag::Field(Field::End),
            "ExtendedData" if parent == Some(Tag::Placemark) => Tag::ExtendedData,
            "Data" if parent == Some(Tag::ExtendedData) => {
                if let Some(draft) = &mut self.draft {
                    draft.start_data(attribute(start, "name"));
                }
                Tag::Data
            }
            "displayName" if parent == Some(Tag::Data) => Tag::Field(Field::DisplayName),
            "value" if parent == Some(Tag::Data) => Tag::Field(Field::Value),
            "SchemaData" if parent == Some(Tag::ExtendedData) => Tag::SchemaData,
            "SimpleData" if parent == Some(Tag::SchemaData) => {
                if let Some(draft) = &mut self.draft {
                    draft.start_simple_data(attribute(start, "name"));
                }
                Tag::Field(Field::SimpleData)
            }
            "Point" | "LineString" | "LinearRing" | "Polygon" | "MultiGeometry"
                if matches!(parent, Some(Tag::Placemark | Tag::Boundary | Tag::Geometry(Shape::MultiGeometry))) =>
            {
                let shape = match local {
                    "Point" => Shape::Point,
                    "LineString" => Shape::LineString,
                    "LinearRing" => Shape::LinearRing,
                    "Polygon" => Shape::Polygon,
                    _ => Shape::MultiGeometry,
                };
                if let Some(draft) = &mut self.draft {
                    draft.geometry.open(shape);
                }
                Tag::Geometry(shape)
            }
            "outerBoundaryIs" | "innerBoundaryIs" if parent == Some(Tag::Geometry(Shape::Polygon)) => {
                let boundary = if local == "outerBoundaryIs" { Boundary::Outer } else { Boundary::Inner };
                if let Some(draft) = &mut self.draft {
                    draft.geometry.set_boundary(Some(boundary));
                }
                Tag::Boundary
            }
            "coordinates"
                if matches!(parent, Some(Tag::Geometry(Shape::Point | Shape::LineString | Shape::LinearRing))) =>
            {
                Tag::Field(Field::Coordinates)
            }
            "Track" | "MultiTrack" | "Model" if in_placemark => {
                self.skip_unsupported(start);
                return Ok(false);
            }
            "NetworkLink" => {
                self.warn(None, "a NetworkLink is not followed: only the placemarks in this file are read");
                self.skip_depth = 1;
                return Ok(false);
            }
            _ => Tag::Other,
        };
        if matches!(tag, Tag::Field(_)) {
            self.field_text = Some(String::new());
            self.field_start = self.at;
        }
        self.stack.push(tag);
        Ok(false)
    }

    /// An element ends.
    fn end(&mut self, local: &str) {
        if self.skip_depth > 0 {
            self.skip_depth -= 1;
            return;
        }
        let Some(tag) = self.stack.pop() else { return };
        match tag {
            Tag::Other => {
                let in_description = self.in_description();
                if let Some(text) = &mut self.field_text
                    && in_description
                {
                    text.push_str("</");
                    text.push_str(local);
                    text.push('>');
                }
            }
            Tag::Field(field) => {
                let text = self.field_text.take().unwrap_or_default();
                self.end_field(field, &text);
            }
            Tag::Document | Tag::Folder => {
                self.containers.pop();
            }
            Tag::Placemark => self.end_placemark(),
            Tag::Data => self.end_data(),
            Tag::Geometry(_) => {
                if let Some(outcome) = self.draft.as_mut().map(|draft| draft.geometry.close())
                    && let Err(kind) = outcome
                {
                    let at = self.located(Some("geometry"), self.at);
                    self.problems.push(Problem::error(at, kind));
                }
            }
            Tag::Boundary => {
                if let Some(draft) = &mut self.draft {
                    draft.geometry.set_boundary(None);
                }
            }
            Tag::TimeStamp | Tag::TimeSpan | Tag::ExtendedData | Tag::SchemaData => {}
        }
    }

    /// Whether the text being read is a description's (markup in it is HTML).
    fn in_description(&self) -> bool {
        self.field_text.is_some() && self.stack.contains(&Tag::Field(Field::Description))
    }

    fn push_text(&mut self, text: &str) {
        if self.skip_depth == 0
            && let Some(field_text) = &mut self.field_text
        {
            field_text.push_str(text);
        }
    }

    /// The time of the innermost open feature (placemark, else container).
    fn feature_time(&mut self) -> Option<&mut Option<Time>> {
        match &mut self.draft {
            Some(draft) => Some(&mut draft.time),
            None => self.containers.last_mut().map(|container| &mut container.time),
        }
    }

    /// The text of a field element, now complete.
    fn end_field(&mut self, field: Field, text: &str) {
        match field {
            Field::Name if self.draft.is_none() => {
                if let Some(container) = self.containers.last_mut() {
                    container.name = non_empty(one_line(text));
                }
            }
            Field::When | Field::Begin | Field::End => {
                let value = non_empty(text.trim().to_owned());
                if let Some(Some(time)) = self.feature_time() {
                    match field {
                        Field::End => time.end = value,
                        _ => time.start = value,
                    }
                }
            }
            Field::Coordinates => {
                let outcome = self.draft.as_mut().map(|draft| draft.geometry.coordinates(text));
                if let Some(Err(kind)) = outcome {
                    // Located at the start of the coordinates, which may run over many lines.
                    let at = self.located(Some("coordinates"), self.field_start);
                    self.problems.push(Problem::error(at, kind));
                }
            }
            _ => {
                if let Some(draft) = &mut self.draft {
                    draft.set_text(field, text);
                }
            }
        }
    }

    fn end_data(&mut self) {
        if self.draft.as_mut().is_none_or(Draft::end_data) {
            return;
        }
        self.warn(Some("ExtendedData"), "a <Data> element has no name; its value was not read");
    }

    fn end_placemark(&mut self) {
        if let Some(draft) = self.draft.take() {
            self.records.push(draft.finish(&self.containers));
        }
    }

    /// Skips an element this reader does not read (gx:Track, gx:MultiTrack, Model), with a warning
    /// once per placemark.
    fn skip_unsupported(&mut self, start: &BytesStart<'_>) {
        self.skip_depth = 1;
        if self.draft.as_ref().is_none_or(|draft| draft.warned_unsupported) {
            return;
        }
        if let Some(draft) = &mut self.draft {
            draft.warned_unsupported = true;
        }
        let name = clip(start.name().into_inner());
        let message = format!(
            "<{name}> is not read (only Point, LineString, LinearRing, Polygon and MultiGeometry are); it was skipped"
        );
        self.warn(Some("geometry"), &message);
    }

    /// A warning about the current event.
    fn warn(&mut self, field: Option<&str>, message: &str) {
        let at = self.located(field, self.at);
        self.problems.push(Problem::warning(at, ProblemKind::WrongShape(message.to_owned())));
    }

    /// Where `offset` is: in the placemark being read (naming `field`), or in the file.
    fn located(&mut self, field: Option<&str>, offset: usize) -> Location {
        let line = self.lines.line_of(offset);
        let draft = self.draft.as_ref();
        Location {
            file: self.file.to_path_buf(),
            index: draft.map(|draft| draft.record.index),
            id: draft.and_then(|draft| draft.record.id.as_deref().map(str::to_owned)),
            field: field.map(str::to_owned),
            line: Some(line),
            record_word: "placemark",
        }
    }

    /// The problem that makes the whole document unreadable, at `offset` (line and column).
    fn document_problem(&mut self, offset: usize, what: &str) -> Box<Problem> {
        let offset = offset.min(self.text.len());
        let line = self.lines.line_of(offset);
        let line_start =
            self.text.as_bytes().get(..offset).and_then(|b| memchr::memrchr(b'\n', b)).map_or(0, |at| at + 1);
        let column = self.text.get(line_start..offset).map_or(offset - line_start, |s| s.chars().count()) + 1;
        let location = Location { file: self.file.to_path_buf(), line: Some(line), ..Location::default() };
        Box::new(Problem::error(location, ProblemKind::WrongShape(format!("line {line}, column {column}: {what}"))))
    }
}

/// 1-based line numbers of byte offsets, counted forward as the pass moves on, so that a large
/// document needs no index of all its lines.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl LineCounter<'_> {
    fn line_of(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            (self.offset, self.line) = (0, 1);
        }
        let between = self.text.get(self.offset..offset).unwrap_or_default();
        self.line += count_newlines(between);
        self.offset = offset;
        self.line
    }
}

/// The value of attribute `name` (its references decoded; as written if they cannot be).
fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    let attribute = start.try_get_attribute(name).ok()??;
    let value = match attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
        Ok(value) => value.into_owned(),
        Err(_) => attribute.value.into_owned(),
    };
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// A name from the file, shortened for a message.
fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    crate::model::text::clip(text, 80)
}
