//! The selected event in full: date with precision and disagreements, place, summary, actors,
//! casualties, claim status, related events and every citation.

use egui::RichText;

use crate::model::text::{MAX_TEXT_CHARS, MAX_TITLE_CHARS, clip, shorten};
use crate::model::{ClaimStatus, Dataset, EventIdx, RelationKind};
use crate::ui::command::Command;
use crate::ui::style;

/// A banner at the top for a claim that is denied, a denial, or a disputed record, in the same
/// visual language as "Sources disagree", with the other records one click away.
fn standing_ui(
    ui: &mut egui::Ui,
    dataset: &Dataset,
    event: &crate::model::Event,
    related: &[crate::model::RelatedEvent<'_>],
) -> Vec<Command> {
    let mut commands = Vec::new();
    let denied_by: Vec<_> = related.iter().filter(|r| r.kind == RelationKind::Denies && !r.outgoing).collect();
    let denies: Vec<_> = related.iter().filter(|r| r.kind == RelationKind::Denies && r.outgoing).collect();
    let disputed = event.claim_status == ClaimStatus::Disputed;
    let (heading, text, links) = if !denied_by.is_empty() {
        ("⚠ Denied", "Another record denies this. Both are kept, each with its source:", denied_by)
    } else if !denies.is_empty() {
        ("⚠ A denial", "This record denies another. Both are kept, each with its source:", denies)
    } else if disputed {
        let others: Vec<_> = related.iter().filter(|r| r.kind == RelationKind::Contradicts).collect();
        ("⚠ Disputed", "The sources conflict on this and neither side is confirmed.", others)
    } else {
        return commands;
    };
    egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.5, style::CONTESTED_RING)).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(heading).strong());
        ui.label(text);
        for relation in links {
            let Some(other) = dataset.event(relation.other) else { continue };
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("{}:", relation.phrase()));
                if ui.link(clip(&other.title, MAX_TITLE_CHARS)).on_hover_text(other.date_in_words()).clicked() {
                    commands.push(Command::SelectAndReveal(relation.other));
                }
            });
            if let Some(note) = relation.note {
                ui.weak(clip(note, MAX_TEXT_CHARS));
            }
        }
    });
    commands
}

/// For an account of an incident: which incident, how sure, why, and the way to compare.
fn incident_ui(ui: &mut egui::Ui, dataset: &Dataset, idx: EventIdx) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some((number, incident)) =
        dataset.incidents().iter().enumerate().find(|(_, incident)| incident.accounts.contains(&idx))
    else {
        return commands;
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        let place = incident.accounts.iter().position(|&a| a == idx).map_or(0, |p| p + 1);
        ui.label(
            RichText::new(format!(
                "Account {place} of {} of one incident ({})",
                incident.accounts.len(),
                incident.confidence
            ))
            .strong(),
        );
        ui.label(clip(&incident.title, MAX_TITLE_CHARS));
        ui.weak(clip(&incident.reason, MAX_TEXT_CHARS));
        if ui.button("Compare the accounts").clicked() {
            commands.push(Command::ShowIncident(Some(number)));
        }
    });
    commands
}

/// Shows the details of `idx`; returns what the user asked for.
/// `editable`: the dataset is a folder, and the event can be edited or deleted from here.
pub fn details_ui(ui: &mut egui::Ui, dataset: &Dataset, idx: EventIdx, editable: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(event) = dataset.event(idx) else {
        ui.weak("The selected event is not in this dataset.");
        return commands;
    };
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
        ui.painter().circle_filled(rect.center(), 5.0, style::event_color(dataset, idx, event));
        ui.label(RichText::new(shorten(dataset.categories.label(event.category), 80)).small());
        ui.label(RichText::new(format!("· {}", event.claim_status)).small().strong());
        if editable {
            use crate::ui::editor::EditCommand;
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.small_button("Delete…").on_hover_text("Delete this event (asks first)").clicked() {
                    let id = event.id.to_string();
                    commands.push(Command::Edit(EditCommand::AskDelete(crate::model::edit::RecordKind::Event, id)));
                }
                if ui.small_button("Edit event").clicked() {
                    commands.push(Command::Edit(EditCommand::EditEvent(event.id.to_string())));
                }
            });
        }
    });
    ui.heading(clip(&event.title, MAX_TEXT_CHARS));
    let related = dataset.relations_of(idx);
    commands.extend(standing_ui(ui, dataset, event, &related));
    commands.extend(incident_ui(ui, dataset, idx));

    // Date, with precision and how it was derived, and any disagreement on it.
    ui.label(RichText::new(event.date_in_words()).strong()).on_hover_text(format!(
        "Covers {} ({})",
        event.span.in_words(),
        event.span.precision_word()
    ));
    let mut date_line = format!("Precision: {}", event.span.precision_word());
    if let Some(basis) = event.details().date_basis {
        date_line.push_str(&format!(" · {}", basis.label()));
    }
    ui.weak(date_line);
    if let Some(note) = &event.details().date_note {
        ui.weak(clip(note, MAX_TEXT_CHARS));
    }
    for relation in related.iter().filter(|r| r.kind == RelationKind::Contradicts) {
        let Some(other) = dataset.event(relation.other) else { continue };
        let source = other.citations().first().and_then(|c| dataset.source(&c.source_id));
        let by = source.map_or_else(String::new, |s| {
            format!(" ({})", clip(s.outlet.as_deref().unwrap_or(&s.title), MAX_TITLE_CHARS))
        });
        egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.5, style::CONTESTED_RING)).show(ui, |ui| {
            ui.label(RichText::new("⚠ Sources disagree").strong());
            if let Some(note) = relation.note {
                ui.label(clip(note, MAX_TEXT_CHARS));
            }
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("{} — another record gives {}{by}:", event.date_in_words(), other.date_in_words()));
                if ui.link(clip(&other.title, MAX_TITLE_CHARS)).clicked() {
                    commands.push(Command::SelectAndReveal(relation.other));
                }
            });
        });
    }
    ui.separator();

    // Place.
    if let Some(place) = event.place_id().and_then(|id| dataset.place(id)) {
        let mut names: Vec<String> = place
            .names
            .iter()
            .map(|(lang, name)| format!("{} ({})", clip(name, MAX_TITLE_CHARS), clip(lang, MAX_TITLE_CHARS)))
            .collect();
        names.dedup();
        ui.label(RichText::new(format!("📍 {}", clip(&place.name, MAX_TITLE_CHARS))).strong());
        if !names.is_empty() {
            ui.weak(names.join(" · "));
        }
        ui.weak(format!(
            "{} · location precision: {}{}",
            place.kind.label(),
            event.location_precision.label(),
            place
                .municipality
                .as_deref()
                .map(|m| format!(" · municipality {}", clip(m, MAX_TITLE_CHARS)))
                .unwrap_or_default()
        ));
        if let Some(note) = &place.note {
            ui.weak(clip(note, MAX_TEXT_CHARS));
        }
        for place in event.details().further_places.iter().filter_map(|id| dataset.place(id)) {
            ui.label(format!("📍 also {} ({})", clip(&place.name, MAX_TITLE_CHARS), place.kind.label()));
        }
    } else if let Some(point) = event.lon_lat {
        if let Some(name) = dataset.place_name(idx, event) {
            ui.label(RichText::new(format!("📍 {}", clip(name, MAX_TITLE_CHARS))).strong());
        }
        ui.weak(format!("📍 {:.4}, {:.4} · {}", point.lat, point.lon, event.location_precision.label()));
    } else {
        ui.weak("No place given: not shown on the map.");
    }

    if let Some(summary) = dataset.summary(idx, event) {
        ui.add_space(4.0);
        ui.label(clip(summary, MAX_TEXT_CHARS));
    }
    if !event.details().actors.is_empty() {
        ui.label(clip(&format!("Actors: {}", event.details().actors.join("; ")), MAX_TEXT_CHARS));
    }
    if let Some(c) = &event.details().casualties {
        let mut parts = Vec::new();
        if let Some(n) = c.killed {
            parts.push(format!("{n} killed"));
        }
        if let Some(n) = c.wounded {
            parts.push(format!("{n} wounded"));
        }
        if let Some(n) = c.detained {
            parts.push(format!("{n} detained"));
        }
        let mut line = format!("Casualties (as stated): {}", parts.join(", "));
        if let Some(note) = &c.note {
            line.push_str(&format!(" — {}", clip(note, MAX_TEXT_CHARS)));
        }
        ui.label(line);
    }
    // Every other field the file gives, as written.
    // (The summary and place name, shown above, are not repeated.)
    let shown_above = [crate::io::build::SUMMARY_FIELD, crate::io::build::PLACE_FIELD];
    let mut fields = dataset.properties.of(idx).filter(|(key, _)| !shown_above.contains(key)).peekable();
    if fields.peek().is_some() {
        egui::CollapsingHeader::new("All fields").id_salt(("fields", idx)).default_open(true).show(ui, |ui| {
            egui::Grid::new(("fields_grid", idx)).num_columns(2).striped(true).show(ui, |ui| {
                for (key, value) in fields {
                    ui.weak(clip(key, MAX_TITLE_CHARS));
                    ui.add(egui::Label::new(clip(value, MAX_TEXT_CHARS)).wrap());
                    ui.end_row();
                }
            });
        });
    }

    // Related events.
    let others: Vec<_> = related.iter().filter(|r| r.kind != RelationKind::Contradicts).collect();
    if !others.is_empty() {
        ui.separator();
        ui.label(RichText::new("Related").strong());
        for relation in others {
            let Some(other) = dataset.event(relation.other) else { continue };
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("{}:", relation.phrase()));
                if ui.link(clip(&other.title, MAX_TITLE_CHARS)).on_hover_text(other.date_in_words()).clicked() {
                    commands.push(Command::SelectAndReveal(relation.other));
                }
            });
        }
    }

    // Citations.
    ui.separator();
    ui.label(RichText::new(format!("Sources ({})", event.citations().len())).strong());
    for citation in event.citations() {
        let source = dataset.source(&citation.source_id);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            match source {
                Some(source) => {
                    ui.label(RichText::new(clip(&source.byline(), MAX_TITLE_CHARS)).small());
                }
                None => {
                    ui.weak(format!("source {}", clip(&citation.source_id, MAX_TITLE_CHARS)));
                }
            }
            ui.label(RichText::new(format!("“{}”", clip(&citation.quote, MAX_TEXT_CHARS))).italics());
            let readable = source.is_some_and(|s| s.text.is_some());
            if ui
                .add_enabled(readable, egui::Button::new("📖 Read in source"))
                .on_hover_text("Open the full text with this passage highlighted")
                .clicked()
            {
                commands
                    .push(Command::OpenSource { source_id: citation.source_id.clone(), focus: citation.char_range });
            }
        });
    }
    commands
}
